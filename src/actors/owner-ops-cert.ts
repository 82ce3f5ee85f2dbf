import { WhError, ok, type Result, type WhRc } from '../errors.js';
import { verifyCacheOf } from '../cert/cert-state.js';
import type { RootBytes } from '../cert/chain-verify.js';
import { cacheLeafKey } from '../cert/leaf-key.js';
import { addTrusted, eraseTrusted, readRoot, readRoots, readTrusted, rootsUnchanged, type ReadTrustedAnswer, type RootsRead } from '../cert/trusted.js';
import type { CacheSlot } from '../cert/verify-cache.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { KeystoreContext } from '../keystore/keystore.js';
// Types only: owner-ops.ts spreads this table, so a value import back would be a cycle.
import type { KeyArgs, OwnerState } from './owner-ops.js';

/** The keystore as one owner turn sees it (as owner-ops' `ks`). */
const keystore = (s: OwnerState, a: KeyArgs): KeystoreContext => ({ nvm: s.nvm, global: s.globalCache, local: a.local, features: s.keyFeatures, random: s.random });

/** VERIFY's reads: the roots (copies) and, from the same turn, the client's verify-cache slots. */
export interface VerifyReads extends RootsRead {
  readonly cache: CacheSlot[] | null;
}

/** The leaf key a successful verification caches. */
export interface LeafKeyArgs {
  /** Server form; number 0 asks for a free one. */
  readonly keyId: number;
  readonly flags: number;
  readonly spki: Uint8Array;
}

/** VERIFY's writes after the verification ran outside the owner. */
export interface VerifyCommitArgs extends KeyArgs {
  /** The requested root ids and what was read for them: re-checked before a leaf key is cached. */
  readonly rootIds: readonly number[];
  readonly roots: readonly RootBytes[];
  readonly maxCertSize: number;
  readonly inserts: readonly CacheSlot[];
  readonly leaf: LeafKeyArgs | null;
}

/** `stale`: a root changed since the reads; nothing was written and the verification must run again. */
export interface VerifyCommitAnswer {
  readonly rc: WhRc;
  readonly stale: boolean;
  /** The leaf key's id (server form) once one was picked, else the requested one; null without a leaf key. */
  readonly keyId: number | null;
}

/**
 * The CERT group's atomic owner operations (spec-cert-she-custom 1): trusted roots are
 * NVM objects, the verify cache is per client (keyed by its session's local cache).
 * Each runs in one owner turn; verification itself runs between 'cert.verifyReads' and
 * 'cert.verifyCommit' on the crypto engine.
 */
export const certOwnerOps = {
  /** INIT: a fresh verify cache for this client. */
  'cert.init': (s: OwnerState, a: KeyArgs): { rc: WhRc } => {
    verifyCacheOf(s.cert, a.local).clear();
    return { rc: WhError.OK };
  },
  /** ADDTRUSTED: checked add, then this client's cache entries anchored at the id go. */
  'cert.addTrusted': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata; cert: Uint8Array }): { rc: WhRc } => ({
    rc: addTrusted(s.nvm, verifyCacheOf(s.cert, a.local), a.meta, a.cert),
  }),
  /** ERASETRUSTED: the protection check and the destroy in one turn. */
  'cert.eraseTrusted': (s: OwnerState, a: KeyArgs & { id: number }): { rc: WhRc } => ({ rc: eraseTrusted(s.nvm, verifyCacheOf(s.cert, a.local), a.id) }),
  /** READTRUSTED: metadata, policy and read of one version. */
  'cert.readTrusted': (s: OwnerState, a: { id: number; capacity: number; maxCertSize: number }): ReadTrustedAnswer =>
    readTrusted(s.nvm, a.id, a.capacity, a.maxCertSize),
  /** VERIFY's reads: every root and the client's verify-cache slots, one snapshot. */
  'cert.verifyReads': (s: OwnerState, a: KeyArgs & { rootIds: readonly number[]; maxCertSize: number }): Result<VerifyReads> => {
    const r = readRoots(s.nvm, a.rootIds, a.maxCertSize);
    if (r.rc !== WhError.OK) return r;
    return ok({ ...r.value, cache: verifyCacheOf(s.cert, a.local).snapshot() });
  },
  /**
   * VERIFY's writes: the verified CAs into the client's verify cache and the leaf key
   * into the key cache. A leaf key is cached only if every requested root still reads
   * as it did for the verification, so the answer is the one a verification inside
   * this very turn would give (otherwise `stale`, nothing written).
   */
  'cert.verifyCommit': (s: OwnerState, a: VerifyCommitArgs): VerifyCommitAnswer => {
    if (a.leaf && !rootsUnchanged(s.nvm, a.rootIds, a.roots, a.maxCertSize)) return { rc: WhError.OK, stale: true, keyId: a.leaf.keyId };
    const cache = verifyCacheOf(s.cert, a.local);
    for (const slot of a.inserts) cache.insert(slot);
    if (!a.leaf) return { rc: WhError.OK, stale: false, keyId: null };
    const r = cacheLeafKey(keystore(s, a), a.leaf.keyId, a.leaf.flags, a.leaf.spki);
    return { rc: r.rc, stale: false, keyId: r.keyId };
  },
  /** VERIFY_ACERT's read: the root, with no export policy (it never leaves the server). */
  'cert.readRoot': (s: OwnerState, a: { id: number; maxCertSize: number }): Result<Uint8Array> => readRoot(s.nvm, a.id, a.maxCertSize),
  'cert.cacheClear': (s: OwnerState, a: KeyArgs): { rc: WhRc } => {
    verifyCacheOf(s.cert, a.local).clear();
    return { rc: WhError.OK };
  },
  'cert.cacheSetEnabled': (s: OwnerState, a: KeyArgs & { enable: boolean }): { rc: WhRc } => {
    verifyCacheOf(s.cert, a.local).setEnabled(a.enable);
    return { rc: WhError.OK };
  },
} as const;

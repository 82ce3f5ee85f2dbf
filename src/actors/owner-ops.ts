import { WhError, ok, type Result, type WhRc } from '../errors.js';
import { counterDestroy, counterIncrement, counterInit, counterRead } from '../core/counter.js';
import { nvmReadClamped } from '../core/nvm-read.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { Nvm } from '../nvm/nvm.js';
import type { NvmAvailable, NvmListResult } from '../nvm/nvm-types.js';
import { HmacDrbg } from '../crypto/hmac-drbg.js';
import { DEFAULT_KEY_CACHE_CONFIG, KeyCache, type KeyCacheConfig } from '../keystore/key-cache.js';
import { DEFAULT_KEY_FEATURES, type KeyFeatures } from '../keystore/key-id.js';
import type { KeyPolicyOp } from '../keystore/key-policy.js';
import { cacheGeneratedKey, loadKeyForExportPublic, loadKeyForUse, readKeyForUse } from '../keystore/crypto-keys.js';
import { cacheUnwrappedKey } from '../keystore/unwrap-cache.js';
import { ObservedNvm } from '../nvm/nvm-observed.js';
import { newCertState, type CertState } from '../cert/cert-state.js';
import { newSheState, type SheState } from '../she/she-state.js';
import { certOwnerOps } from './owner-ops-cert.js';
import { sheOwnerOps } from './owner-ops-she.js';
import {
  checkKeyPolicy,
  getUniqueId,
  readKey,
  cacheKeyAssigning,
  cacheRandomAssigning,
  commitKeyChecked,
  eraseKeyChecked,
  evictKeyChecked,
  exportDmaKey,
  evictKey,
  cacheDmaKey,
  readKeyChecked,
  revokeKey,
  type KeyMaterial,
  type KeystoreContext,
} from '../keystore/keystore.js';

/** The server RNG: one HMAC_DRBG seeded (and reseeded) from the OS, owned by the owner like the rest of the global state. */
function drbgRandom(): (n: number) => Uint8Array {
  const drbg = HmacDrbg.fromOs();
  return (n) => drbg.generate(n);
}

/** The answer of an operation that returns no data. */
export interface Status {
  readonly rc: WhRc;
}

const status = (rc: WhRc): Status => ({ rc });

/** Everything the owner actor owns. Reachable only from owner transitions. */
export interface OwnerState {
  readonly nvm: Nvm;
  /** The global key cache (null without global keys). */
  readonly globalCache: KeyCache | null;
  readonly keyFeatures: KeyFeatures;
  /** The server RNG (CACHE_RANDOM). */
  readonly random: (n: number) => Uint8Array;
  /** Operations beyond the production table (actorhsm/testing's primitives for deliberately broken handlers). */
  readonly extraOps?: ExtraOwnerOps;
  /** A stepwise destroy in progress (at most one: it runs under its sender's lease). */
  job: { readonly token: number; readonly steps: Generator<void, WhRc, void> } | null;
  nextJob: number;
  /** SHE's global state (UID, secure boot, PRNG). */
  readonly she: SheState;
  /** The CERT group's global state (verify-result cache). */
  readonly cert: CertState;
}

/** The answer of one step of a stepwise operation: done with `rc`, or `token` to continue. */
export interface StepStatus {
  readonly rc: WhRc;
  readonly done: boolean;
  readonly token: number;
}

function step(s: OwnerState, steps: Generator<void, WhRc, void>, token: number): StepStatus {
  const r = steps.next();
  if (r.done) {
    s.job = null;
    return { rc: r.value, done: true, token };
  }
  s.job = { token, steps };
  return { rc: 0, done: false, token };
}

/** An operation table of the same shape as `ownerOps`, run by the owner exactly like it. */
export type ExtraOwnerOps = Readonly<Record<string, (s: OwnerState, args: never) => unknown>>;

/** Owner state with the defaults of a fresh server: global cache on, an OS-seeded DRBG. */
export function ownerState(
  nvm: Nvm,
  opts: { cache?: KeyCacheConfig; features?: KeyFeatures; random?: (n: number) => Uint8Array; extraOps?: ExtraOwnerOps } = {},
): OwnerState {
  const features = opts.features ?? DEFAULT_KEY_FEATURES;
  return {
    nvm,
    globalCache: features.globalKeys ? new KeyCache(opts.cache ?? DEFAULT_KEY_CACHE_CONFIG, 'global') : null,
    keyFeatures: features,
    random: opts.random ?? drbgRandom(),
    ...(opts.extraOps ? { extraOps: opts.extraOps } : {}),
    job: null,
    nextJob: 1,
    she: newSheState(),
    cert: newCertState(),
  };
}

/**
 * Key operations name the calling client's local cache: a client's own cache,
 * handed to the owner by reference so that a compound step spanning it, the
 * global cache and NVM still runs in one owner turn.
 */
export interface KeyArgs {
  readonly local: KeyCache;
}

/** What a keystore call sees inside one owner turn: the owner's NVM and global cache, the caller's local cache. */
export function ks(s: OwnerState, a: KeyArgs): KeystoreContext {
  return { nvm: s.nvm, global: s.globalCache, local: a.local, features: s.keyFeatures, random: s.random };
}

type NoArgs = Record<string, never>;

/**
 * The atomic compound operations on shared state. Each runs to completion inside
 * one owner transition, so none can interleave with another. Handlers name one of
 * these per request; a split into two would be a TOCTOU bug.
 */
export const ownerOps = {
  'nvm.getAvailable': (s: OwnerState, _a: NoArgs): Result<NvmAvailable> => s.nvm.getAvailable(),
  'nvm.list': (s: OwnerState, a: { access: number; flags: number; startId: number }): Result<NvmListResult> =>
    s.nvm.list(a.access, a.flags, a.startId),
  'nvm.getMetadata': (s: OwnerState, a: { id: number }): Result<NvmMetadata> => s.nvm.getMetadata(a.id),
  'nvm.addObject': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObject(a.meta, a.data)),
  'nvm.addObjectWithReclaim': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObjectWithReclaim(a.meta, a.data)),
  'nvm.addObjectChecked': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObjectChecked(a.meta, a.data)),
  'nvm.destroyObjects': (s: OwnerState, a: { ids: readonly number[] }): Status =>
    status(s.nvm.destroyObjects(a.ids)),
  'nvm.destroyObjectsChecked': (s: OwnerState, a: { ids: readonly number[] }): Status =>
    status(s.nvm.destroyObjectsChecked(a.ids)),
  /**
   * NVM DESTROYOBJECTS in steps, under the sender's lease: the policy checks and the
   * first step, then one step per message until done. Nothing else runs on the store
   * in between (the lease defers everyone else), yet the event loop is free between
   * steps. A new begin drops any earlier, abandoned run (the store refuses to resume it).
   */
  'nvm.destroyBegin': (s: OwnerState, a: { ids: readonly number[] }): StepStatus => step(s, s.nvm.destroyObjectsCheckedStepwise(a.ids), s.nextJob++),
  'nvm.destroyStep': (s: OwnerState, a: { token: number }): StepStatus =>
    s.job && s.job.token === a.token ? step(s, s.job.steps, a.token) : { rc: WhError.ABORTED, done: true, token: a.token },
  /** Answers once every change made so far is durable (over a write-behind flash; at once otherwise). */
  'nvm.sync': (s: OwnerState, _a: NoArgs): Status => {
    if (s.nvm instanceof ObservedNvm) s.nvm.observeStore();
    return status(WhError.OK);
  },
  'nvm.read': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> => s.nvm.read(a.id, a.offset, a.len),
  'nvm.readChecked': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> =>
    s.nvm.readChecked(a.id, a.offset, a.len),
  /** NVM READ request: metadata, clamp and checked read of one version. */
  'nvm.readClamped': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> =>
    nvmReadClamped(s.nvm, a.id, a.offset, a.len),
  'counter.init': (s: OwnerState, a: { nvmId: number; value: number }): Result<number> => counterInit(s.nvm, a.nvmId, a.value),
  /** Read-modify-write of one counter. */
  'counter.increment': (s: OwnerState, a: { nvmId: number }): Result<number> => counterIncrement(s.nvm, a.nvmId),
  'counter.read': (s: OwnerState, a: { nvmId: number }): Result<number> => counterRead(s.nvm, a.nvmId),
  'counter.destroy': (s: OwnerState, a: { nvmId: number }): Status =>
    status(counterDestroy(s.nvm, a.nvmId)),
  /** KEY CACHE: unique id if none given, policy, slot, fill (spec-core 8 #1, #2). */
  'key.cache': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata; data: Uint8Array }): Result<number> =>
    cacheKeyAssigning(ks(s, a), a.meta, a.data),
  'key.cacheRandom': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata }): Result<number> => cacheRandomAssigning(ks(s, a), a.meta),
  'key.evict': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(evictKeyChecked(ks(s, a), a.id)),
  /** KEY EXPORT: policy, read from cache or NVM, opportunistic cache insert (#7). */
  'key.export': (s: OwnerState, a: KeyArgs & { id: number; capacity: number }): Result<KeyMaterial> =>
    readKeyChecked(ks(s, a), a.id, a.capacity),
  'key.commit': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(commitKeyChecked(ks(s, a), a.id)),
  'key.erase': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(eraseKeyChecked(ks(s, a), a.id)),
  'key.revoke': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(revokeKey(ks(s, a), a.id)),
  /** CACHE_DMA after its transfer: id, policy, slot and bytes (or the wiped slot) in one turn. */
  'key.cacheDma': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata; data: Uint8Array | null; transferRc: WhRc }): Result<number> =>
    cacheDmaKey(ks(s, a), a.meta, a.data, a.transferRc),
  // Keystore primitives (wolfHSM's server keystore API) for custom server code holding a lease.
  'key.getUniqueId': (s: OwnerState, a: KeyArgs & { typeUser: number }): Result<number> => getUniqueId(ks(s, a), a.typeUser),
  'key.checkPolicy': (s: OwnerState, a: KeyArgs & { op: KeyPolicyOp; id: number }): Status => status(checkKeyPolicy(ks(s, a), a.op, a.id)),
  'key.read': (s: OwnerState, a: KeyArgs & { id: number; capacity: number }): Result<KeyMaterial> => readKey(ks(s, a), a.id, a.capacity),
  /** Crypto copy-out (ReadKeyEnforce): the key bytes and the usage verdict from one snapshot. */
  'key.readForUse': (s: OwnerState, a: KeyArgs & { id: number; usage: number; capacity: number }): Result<KeyMaterial> =>
    readKeyForUse(ks(s, a), a.id, a.usage, a.capacity),
  /** Crypto load-for-use (FreshenKey, usage): asymmetric keys, KEKs, EXPORT_PUBLIC. */
  'key.loadForUse': (s: OwnerState, a: KeyArgs & { id: number; usage: number }): Result<KeyMaterial> => loadKeyForUse(ks(s, a), a.id, a.usage),
  /** A key a crypto handler made (keygen, KDF, key agreement): unique id if needed, checked insert. */
  'key.cacheGenerated': (s: OwnerState, a: KeyArgs & { id: number; flags: number; label: Uint8Array; data: Uint8Array; reserve?: number }): Result<number> =>
    cacheGeneratedKey(ks(s, a), a.id, a.flags, a.label, a.data, a.reserve),
  /** EXPORT_PUBLIC: policy, freshen, copy in one turn; the public part is encoded outside (#K8). */
  'key.loadForExportPublic': (s: OwnerState, a: KeyArgs & { id: number }): Result<KeyMaterial> => loadKeyForExportPublic(ks(s, a), a.id),
  /** KEYUNWRAPCACHE's insert after the decryption: refused if the id is cached already, re-checked in this turn. */
  'key.cacheUnwrapped': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata; data: Uint8Array }): Result<number> => cacheUnwrappedKey(ks(s, a), a.meta, a.data),
  /** The EVICT option of a crypto request: drop the temporary import, whatever its flags (as wolfHSM's unchecked evict). */
  'key.evictAfterUse': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(evictKey(ks(s, a), a.id)),
  /** Random bytes from the server's one RNG (the owner owns it, as the global crypto state it is). */
  'rng.generate': (s: OwnerState, a: { size: number }): Result<Uint8Array> => ok(s.random(a.size)),
  /** EXPORT_DMA, under the sender's lease: policy, freshen, size check, copy (#8). */
  'key.exportDma': (s: OwnerState, a: KeyArgs & { id: number; capacity: number }): Result<KeyMaterial> =>
    exportDmaKey(ks(s, a), a.id, a.capacity),
  ...sheOwnerOps,
  ...certOwnerOps,
} as const;

export type OwnerOpKind = keyof typeof ownerOps;
export type OwnerOpArgs<K extends OwnerOpKind> = Parameters<(typeof ownerOps)[K]>[1];
export type OwnerOpResult<K extends OwnerOpKind> = ReturnType<(typeof ownerOps)[K]>;
/** One operation as it travels in an owner message. */
export type OwnerOp = { [K in OwnerOpKind]: { readonly kind: K; readonly args: OwnerOpArgs<K> } }[OwnerOpKind];

export function runOwnerOp(state: OwnerState, op: OwnerOp): unknown {
  const table = ownerOps as unknown as ExtraOwnerOps;
  const impl = (Object.hasOwn(table, op.kind) ? table[op.kind] : state.extraOps?.[op.kind]) as ((s: OwnerState, a: unknown) => unknown) | undefined;
  if (!impl) throw new Error(`unknown owner operation ${op.kind}`);
  return impl(state, op.args);
}

import { WhError, fail, ok, type Result, type WhRc } from '../errors.js';
import { NvmFlags, type NvmMetadata } from '../nvm/metadata.js';
import type { Nvm } from '../nvm/nvm.js';
import type { RootBytes } from './chain-verify.js';
import { equalBytes } from './der.js';
import type { VerifyCache } from './verify-cache.js';

/**
 * Trusted certificates are plain NVM objects at ids the client picks (spec 1.2).
 * Each function here is one compound step on the store; the owner runs it in one turn.
 */

/** ADDTRUSTED: the checked add (no parsing: any bytes), then the client's cache entries for that id go. */
export function addTrusted(nvm: Nvm, cache: VerifyCache, meta: NvmMetadata, cert: Uint8Array): WhRc {
  if (cert.length === 0) return WhError.BADARGS;
  const rc = nvm.addObjectChecked(meta, cert);
  if (rc === WhError.OK) cache.evictRoot(meta.id);
  return rc;
}

/** ERASETRUSTED: TRUSTED or NONDESTROYABLE objects are refused (NONMODIFIABLE is not); an absent id is OK. */
export function eraseTrusted(nvm: Nvm, cache: VerifyCache, id: number): WhRc {
  const m = nvm.getMetadata(id);
  if (m.rc === WhError.OK && m.value.flags & (NvmFlags.TRUSTED | NvmFlags.NONDESTROYABLE)) return WhError.ACCESS;
  if (m.rc !== WhError.OK && m.rc !== WhError.NOTFOUND) return m.rc;
  const rc = nvm.destroyObjects([id]);
  if (rc === WhError.OK) cache.evictRoot(id);
  return rc;
}

/** READTRUSTED's answer: the object, or BUFFER_SIZE with its real length. */
export interface ReadTrustedAnswer {
  readonly rc: number;
  /** The stored length (also on BUFFER_SIZE); 0 on other errors. */
  readonly len: number;
  readonly data: Uint8Array | null;
}

/** The unchecked read of a trusted certificate into a buffer of `capacity` bytes (wh_Server_CertReadTrusted). */
function readInto(nvm: Nvm, meta: NvmMetadata, capacity: number): ReadTrustedAnswer {
  if (meta.len > capacity) return { rc: WhError.BUFFER_SIZE, len: meta.len, data: null };
  const d = nvm.read(meta.id, 0, meta.len);
  return d.rc === WhError.OK ? { rc: 0, len: meta.len, data: d.value.slice() } : { rc: d.rc, len: 0, data: null };
}

/**
 * READTRUSTED(_DMA): any NVM object that is neither NONEXPORTABLE nor TRUSTED, into a
 * buffer of `capacity` bytes; a buffer larger than the largest certificate is BADARGS.
 */
export function readTrusted(nvm: Nvm, id: number, capacity: number, maxCertSize = capacity): ReadTrustedAnswer {
  const m = nvm.getMetadata(id);
  if (m.rc !== WhError.OK) return { rc: m.rc, len: 0, data: null };
  if (m.value.flags & (NvmFlags.NONEXPORTABLE | NvmFlags.TRUSTED)) return { rc: WhError.ACCESS, len: 0, data: null };
  if (capacity > maxCertSize) return { rc: WhError.BADARGS, len: 0, data: null };
  return readInto(nvm, m.value, capacity);
}

/** A root for verification: no export policy applies (the bytes never leave the server). */
export function readRoot(nvm: Nvm, id: number, maxLen: number): Result<Uint8Array> {
  const m = nvm.getMetadata(id);
  if (m.rc !== WhError.OK) return m;
  const r = readInto(nvm, m.value, maxLen);
  return r.rc === WhError.OK && r.data ? ok(r.data) : fail(r.rc as Exclude<WhRc, 0>);
}

/** The roots of one verification, read in order as wolfHSM loads them. */
export interface RootsRead {
  readonly roots: RootBytes[];
  /** The read error that stopped the loading (0 if none); the roots before it still load first. */
  readonly readRc: number;
}

/** Distinct ids in first-seen order (the loaded set stays a set). */
export const uniqueIds = (ids: readonly number[]): number[] => [...new Set(ids)];

/** VERIFY's reads: each distinct id, absent ones skipped, stop at another error; none at all → NOTFOUND. */
export function readRoots(nvm: Nvm, ids: readonly number[], maxLen: number): Result<RootsRead> {
  const roots: RootBytes[] = [];
  for (const id of uniqueIds(ids)) {
    const r = readRoot(nvm, id, maxLen);
    if (r.rc === WhError.NOTFOUND) continue;
    if (r.rc !== WhError.OK) return roots.length === 0 ? fail(r.rc) : ok({ roots, readRc: r.rc });
    roots.push({ id, der: r.value });
  }
  return roots.length === 0 ? fail(WhError.NOTFOUND) : ok({ roots, readRc: 0 });
}

/** True when every requested id reads now as it did for the verification (same bytes, or still absent). */
export function rootsUnchanged(nvm: Nvm, ids: readonly number[], seen: readonly RootBytes[], maxLen: number): boolean {
  return uniqueIds(ids).every((id) => {
    const before = seen.find((r) => r.id === id);
    const now = readRoot(nvm, id, maxLen);
    if (!before) return now.rc === WhError.NOTFOUND;
    return now.rc === WhError.OK && equalBytes(now.value, before.der);
  });
}

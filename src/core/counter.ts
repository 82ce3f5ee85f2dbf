import { WhError, fail, ok, type Result, type WhRc } from '../errors.js';
import { makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import type { Nvm } from '../nvm/nvm.js';

/**
 * Counters (wh_server_counter.c): one metadata-only NVM object per counter, id
 * TYPE COUNTER | USER client | low byte of the counter id, the u32 value in label
 * bytes 0..3 (little-endian). Plain synchronous functions: the caller serialises.
 */
export const COUNTER_TYPE = 0x3;
export const COUNTER_MAX = 0xffffffff;

export function counterNvmId(clientId: number, counterId: number): number {
  return (COUNTER_TYPE << 12) | ((clientId & 0xf) << 8) | (counterId & 0xff);
}

/** The metadata-only NVM object that holds a counter. */
export function counterMeta(nvmId: number, value: number): NvmMetadata {
  const label = new Uint8Array(24);
  new DataView(label.buffer).setUint32(0, value >>> 0, true);
  return makeMetadata({ id: nvmId, access: 0, flags: 0, len: 0, label });
}

export function counterValue(meta: NvmMetadata): number {
  return new DataView(meta.label.buffer, meta.label.byteOffset, 4).getUint32(0, true);
}

/** Creates or overwrites (reset) a counter; compacts when the store is full. */
export function counterInit(nvm: Nvm, nvmId: number, value: number): Result<number> {
  const rc = nvm.addObjectWithReclaim(counterMeta(nvmId, value), null, 0);
  return rc === WhError.OK ? ok(value >>> 0) : fail(rc);
}

/** Read, +1, write: saturates at 0xFFFFFFFF without writing. */
export function counterIncrement(nvm: Nvm, nvmId: number): Result<number> {
  const m = nvm.getMetadata(nvmId);
  if (m.rc !== 0) return m;
  const current = counterValue(m.value);
  if (current === COUNTER_MAX) return ok(COUNTER_MAX);
  const next = current + 1;
  const rc = nvm.addObjectWithReclaim(counterMeta(nvmId, next), null, 0);
  return rc === WhError.OK ? ok(next) : fail(rc);
}

export function counterRead(nvm: Nvm, nvmId: number): Result<number> {
  const m = nvm.getMetadata(nvmId);
  return m.rc === 0 ? ok(counterValue(m.value)) : m;
}

/** Absent counters are fine (OK). */
export function counterDestroy(nvm: Nvm, nvmId: number): WhRc {
  return nvm.destroyObjects([nvmId]);
}

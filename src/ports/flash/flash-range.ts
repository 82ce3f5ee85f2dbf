import { WhError, type WhRc } from '../../errors.js';

/** The flash contract's range rule: whole, non-negative offset and size, inside `total` bytes. */
export function inFlash(offset: number, size: number, total: number): boolean {
  return Number.isInteger(offset) && Number.isInteger(size) && offset >= 0 && size >= 0 && offset + size <= total;
}

/** A flash read served from memory (RAM simulator, file mirror): BADARGS outside the flash. */
export function readFrom(memory: Uint8Array, offset: number, out: Uint8Array): WhRc {
  if (!inFlash(offset, out.length, memory.length)) return WhError.BADARGS;
  out.set(memory.subarray(offset, offset + out.length));
  return WhError.OK;
}

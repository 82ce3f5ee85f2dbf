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

/** Erased-byte patterns to memcmp against, per erased byte value (grown on demand). */
const erasedChunks = new Map<number, Buffer>();
const CHUNK = 64 * 1024;

/**
 * True when `size` bytes of `memory` at `offset` all hold `erasedByte` (a blank check
 * served from memory): native memcmp in chunks instead of a byte loop, because
 * compaction blank-checks whole partitions.
 */
export function isErased(memory: Uint8Array, offset: number, size: number, erasedByte: number): boolean {
  let erased = erasedChunks.get(erasedByte);
  if (!erased) erasedChunks.set(erasedByte, (erased = Buffer.alloc(CHUNK, erasedByte)));
  const view = Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength);
  for (let at = offset, end = offset + size; at < end; at += CHUNK) {
    const n = Math.min(CHUNK, end - at);
    if (view.compare(erased, 0, n, at, at + n) !== 0) return false;
  }
  return true;
}

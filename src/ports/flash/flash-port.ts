import type { WhRc } from '../../errors.js';

/**
 * The wolfHSM flash contract (whFlashCb). Offsets and sizes are bytes.
 *
 * The flash holds two consecutive partitions of `partitionSize()` bytes each.
 * Every call is synchronous and returns 0 or a negative wolfHSM code; none throws.
 */
export interface FlashPort {
  /** Size of one partition in bytes; 0 means the device is unusable. */
  partitionSize(): number;
  /** Reads `out.length` bytes at `offset` into `out`. A zero length only validates the offset. */
  read(offset: number, out: Uint8Array): WhRc;
  /** Writes `data` at `offset` without erasing first. */
  program(offset: number, data: Uint8Array): WhRc;
  /** Returns the range to the erased state. */
  erase(offset: number, size: number): WhRc;
  /** Compares flash with `data`: NOTVERIFIED on a difference. */
  verify(offset: number, data: Uint8Array): WhRc;
  /** OK when every byte of the range is erased, else NOTBLANK. */
  blankCheck(offset: number, size: number): WhRc;
  /** Refuses program/erase (LOCKED) until unlocked. Not nested. */
  writeLock(offset: number, size: number): WhRc;
  writeUnlock(offset: number, size: number): WhRc;
  /** Releases resources (a file handle); later calls may fail. */
  cleanup(): WhRc;
}

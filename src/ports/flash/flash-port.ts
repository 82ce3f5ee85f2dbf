import type { WhRc } from '../../errors.js';

/**
 * Write-ordering marks for ports that persist asynchronously (a write-behind file).
 * Synchronous ports ignore them. The NVM store places them at wolfHSM's commit points:
 *
 * - `prepared`: the writes since the previous mark only filled flash that no committed
 *   state (and no earlier commit in flight) refers to: a new directory entry, new data,
 *   the copies of a compaction into the inactive partition. They must be durable before
 *   the commit write that follows, but may be persisted ahead of earlier commit writes.
 * - `commit`: the write since the previous mark is an operation's commit point (a count
 *   word). It must follow everything before it to disk; once it is durable the operation is.
 * - `ordered`: everything written before must be durable before anything written after
 *   (for writes that destroy committed data).
 * - `erased`: the writes since the previous mark erased flash that nothing committed
 *   refers to any more (the old partition, once a compaction's switch is durable). They
 *   must be durable before anything is written over the same range again and before any
 *   later commit, but may share a sync with later prepared writes elsewhere.
 */
export type FlashBarrier = 'prepared' | 'commit' | 'ordered' | 'erased';

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
  /** Marks a point in the write stream (see {@link FlashBarrier}). Optional: synchronous ports need none. */
  barrier?(kind: FlashBarrier): void;
  /** Releases resources (a file handle); later calls may fail. */
  cleanup(): WhRc;
}

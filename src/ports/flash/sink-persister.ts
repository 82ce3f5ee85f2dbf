import { DirtyExtents } from './dirty-extents.js';
import type { FlashSink } from './flash-sink.js';
import { planFlush } from './journal.js';
import { unpackJournal } from './journal-buffer.js';

/** Batches persisted, syncs issued and bytes handed to the sink. */
export interface PersistStats {
  batches: number;
  syncs: number;
  bytesWritten: number;
}

/** Makes journal batches durable, one after another, in the order given. */
export interface Persister {
  /** Resolves once every change of `batch` (a taken JournalBuffer, handed over for good) is on stable storage; rejects when the store failed. */
  persist(batch: Uint8Array): Promise<void>;
  /** Closes the backing store (every batch handed over is persisted first). */
  close(): Promise<void>;
  readonly stats: PersistStats;
  /** A batch buffer handed back after persisting, for the journal to reuse (once; null when none). */
  spare?(): ArrayBuffer | null;
}

export interface SinkPersisterConfig {
  /** What the sink holds now (both partitions). Copied. */
  readonly image: Uint8Array;
  readonly partitionSize: number;
  readonly erasedByte: number;
  readonly sink: FlashSink;
}

/**
 * Runs `planFlush` over each batch and hands the steps to a FlashSink. Keeps a copy
 * of what the sink holds, so an erase writes only the bytes that are not erased
 * there already. Runs wherever it is created: in-process over a MemorySink in the
 * tests, or inside the persist worker over the file.
 */
export class SinkPersister implements Persister {
  private readonly onDisk: Buffer;
  private readonly diskDirty: DirtyExtents;
  private readonly erased: Buffer;
  private readonly sink: FlashSink;
  readonly stats: PersistStats = { batches: 0, syncs: 0, bytesWritten: 0 };

  constructor(c: SinkPersisterConfig) {
    this.onDisk = Buffer.from(c.image);
    this.diskDirty = new DirtyExtents(this.onDisk, c.partitionSize, c.erasedByte);
    this.erased = Buffer.alloc(c.partitionSize, c.erasedByte);
    this.sink = c.sink;
  }

  async persist(batch: Uint8Array): Promise<void> {
    this.stats.batches++;
    for (const step of planFlush(unpackJournal(batch))) {
      if (step.kind === 'sync') {
        this.stats.syncs++;
        await this.sink.sync();
      } else if (step.kind === 'write') {
        await this.writeOut(step.offset, step.bytes);
      } else {
        await this.fillOut(step.offset, step.size);
      }
    }
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  private async writeOut(offset: number, bytes: Uint8Array): Promise<void> {
    this.stats.bytesWritten += bytes.length;
    this.onDisk.set(bytes, offset);
    this.diskDirty.written(offset, bytes.length);
    await this.sink.write(offset, bytes);
  }

  /**
   * An erase writes only the part of its range the disk does not hold erased
   * already: erasing the old partition after a compaction touches its used bytes,
   * not all 512 KiB.
   */
  private async fillOut(offset: number, size: number): Promise<void> {
    const parts: [number, number][] = [];
    this.diskDirty.dirtyParts(offset, size, (from, to) => parts.push([from, to]));
    for (const [from, to] of parts) {
      const [lo, hi] = this.differing(from, to - from);
      if (lo < hi) await this.writeOut(from + lo, this.erased.subarray(0, hi - lo));
    }
    this.diskDirty.erased(offset, size);
  }

  /** The smallest [lo, hi) of onDisk[at, at+n) outside which every byte is erased (memcmp bisection). */
  private differing(at: number, n: number): [number, number] {
    const erasedUpTo = (from: number, to: number) => this.onDisk.compare(this.erased, 0, to - from, at + from, at + to) === 0;
    if (erasedUpTo(0, n)) return [0, 0];
    let lo = 0;
    let hi = n; // onDisk[at, at+lo) erased; a difference before hi
    while (hi - lo > 64) {
      const mid = (lo + hi) >> 1;
      if (erasedUpTo(lo, mid)) lo = mid;
      else hi = mid;
    }
    const first = lo;
    lo = first;
    hi = n; // the last difference is in [lo, hi)
    while (hi - lo > 64) {
      const mid = (lo + hi) >> 1;
      if (erasedUpTo(mid, n)) hi = mid;
      else lo = mid;
    }
    return [first, hi];
  }
}

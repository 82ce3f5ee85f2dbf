import { WhError, type WhRc } from '../../errors.js';
import { inFlash, readFrom } from './flash-range.js';
import type { DurableFlash } from './durable-flash.js';
import type { FlashBarrier } from './flash-port.js';
import { DirtyExtents } from './dirty-extents.js';
import type { FlashSink } from './flash-sink.js';
import { JournalBuffer } from './journal-buffer.js';
import { SinkPersister, type PersistStats, type Persister } from './sink-persister.js';

export interface WriteBehindFlashConfig {
  /** The store's current contents (both partitions); becomes the in-memory mirror, changed from then on only by this flash. */
  readonly image: Uint8Array;
  readonly partitionSize: number;
  readonly erasedByte?: number;
  /** Where changes are persisted, in-process (tests: a MemorySink records every step) ... */
  readonly sink?: FlashSink;
  /** ... or by another persister (the file's persist worker); exactly one of the two. */
  readonly persister?: Persister;
  /** Told when the backing store fails; the flash refuses writes from then on. */
  readonly onError?: (error: Error) => void;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: (rc: WhRc) => void;
}

/**
 * Flash served from memory and persisted behind the caller's back.
 *
 * program/erase change the mirror at once (the NVM store's reads see them, as on a
 * real part) and queue a copy of the change; barriers from the NVM store mark its
 * commit points. A persister drains the queue in batches on the thread pool, with
 * `planFlush` choosing where to sync, so a compaction costs two or three syncs instead of
 * one per word and concurrent adds share theirs (group commit). Callers that must
 * not answer before a change is durable wait on `whenDurable(writeSeq)`.
 */
export class WriteBehindFlash implements DurableFlash {
  private readonly mirror: Uint8Array;
  private readonly view: Buffer;
  private readonly erased: Buffer;
  /** Where the mirror may hold non-erased bytes. */
  private readonly mirrorDirty: DirtyExtents;
  private readonly partSize: number;
  readonly erasedByte: number;
  private readonly persister: Persister;
  private readonly onError: ((error: Error) => void) | undefined;
  private locked = true;
  private readonly journal = new JournalBuffer();
  private waiters: Waiter[] = [];
  private flushing = false;
  private failure: WhRc | null = null;
  private closing: Promise<WhRc> | null = null;
  writeSeq = 0;
  durableSeq = 0;

  constructor(config: WriteBehindFlashConfig) {
    if (config.image.length !== 2 * config.partitionSize) throw new RangeError('image must hold exactly two partitions');
    this.mirror = config.image;
    this.view = Buffer.from(this.mirror.buffer, this.mirror.byteOffset, this.mirror.byteLength);
    this.partSize = config.partitionSize;
    this.erasedByte = (config.erasedByte ?? 0xff) & 0xff;
    this.erased = Buffer.alloc(config.partitionSize, this.erasedByte);
    this.mirrorDirty = new DirtyExtents(this.mirror, this.partSize, this.erasedByte);
    if ((config.sink === undefined) === (config.persister === undefined)) throw new TypeError('give exactly one of sink and persister');
    this.persister = config.persister ?? new SinkPersister({ image: this.mirror, partitionSize: this.partSize, erasedByte: this.erasedByte, sink: config.sink! });
    this.onError = config.onError;
  }

  /** Batches persisted, syncs issued and bytes written, for benchmarks and tests. */
  get stats(): Readonly<PersistStats> {
    return this.persister.stats;
  }

  partitionSize(): number {
    return this.partSize;
  }

  /** The store stopped after a failed write or sync: its mirror may be ahead of the disk. */
  get failed(): boolean {
    return this.failure !== null;
  }

  private inBounds(offset: number, size: number): boolean {
    return inFlash(offset, size, this.mirror.length);
  }

  read(offset: number, out: Uint8Array): WhRc {
    return readFrom(this.mirror, offset, out);
  }

  program(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length)) return WhError.BADARGS;
    if (data.length === 0) return WhError.OK;
    if (this.locked) return WhError.LOCKED;
    if (this.failure !== null || this.closing) return WhError.ABORTED;
    this.mirror.set(data, offset);
    this.mirrorDirty.written(offset, data.length);
    this.journal.write(offset, data);
    this.queued();
    return WhError.OK;
  }

  erase(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    if (size === 0) return WhError.OK;
    if (this.locked) return WhError.LOCKED;
    if (this.failure !== null || this.closing) return WhError.ABORTED;
    this.mirrorDirty.dirtyParts(offset, size, (from, to) => this.mirror.fill(this.erasedByte, from, to));
    this.mirrorDirty.erased(offset, size);
    this.journal.fill(offset, size, this.erasedByte);
    this.queued();
    return WhError.OK;
  }

  verify(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length)) return WhError.BADARGS;
    const d = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return this.view.compare(d, 0, d.length, offset, offset + d.length) === 0 ? WhError.OK : WhError.NOTVERIFIED;
  }

  blankCheck(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    // memcmp against an erased partition, only where the mirror may hold data.
    let rc: WhRc = WhError.OK;
    this.mirrorDirty.dirtyParts(offset, size, (from, to) => {
      if (rc === WhError.OK && this.view.compare(this.erased, 0, to - from, from, to) !== 0) rc = WhError.NOTBLANK;
    });
    return rc;
  }

  writeLock(): WhRc {
    this.locked = true;
    return WhError.OK;
  }

  writeUnlock(): WhRc {
    this.locked = false;
    return WhError.OK;
  }

  barrier(kind: FlashBarrier): void {
    if (this.failure !== null) return;
    this.journal.barrier(kind);
    this.queued();
  }

  whenDurable(seq: number): Promise<WhRc> {
    if (this.failure !== null) return Promise.resolve(this.failure);
    if (seq <= this.durableSeq) return Promise.resolve(WhError.OK);
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  /** Starts closing (the FlashPort contract is synchronous); `close()` tells when it is done. */
  cleanup(): WhRc {
    void this.close();
    return WhError.OK;
  }

  close(): Promise<WhRc> {
    return (this.closing ??= (async () => {
      const rc = await this.whenDurable(this.writeSeq);
      try {
        await this.persister.close();
      } catch (e) {
        this.fail(e);
        return WhError.ABORTED;
      }
      return rc;
    })());
  }

  private queued(): void {
    this.writeSeq++;
    if (!this.flushing) void this.persist();
  }

  /** Drains the queue batch by batch; whatever arrives during a batch forms the next one. */
  private async persist(): Promise<void> {
    this.flushing = true;
    // Let the operation that queued the first change finish queueing the rest of its writes.
    await Promise.resolve();
    try {
      while (this.journal.count > 0 && this.failure === null) {
        const upTo = this.writeSeq;
        const batch = this.journal.take();
        await this.persister.persist(batch);
        const back = this.persister.spare?.();
        if (back) this.journal.recycle(back);
        this.durableSeq = upTo;
        this.wake();
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.flushing = false;
    }
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq <= this.durableSeq) w.resolve(WhError.OK);
      else still.push(w);
    }
    this.waiters = still;
  }

  private fail(e: unknown): void {
    if (this.failure === null) {
      this.failure = WhError.ABORTED;
      this.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
    for (const w of this.waiters) w.resolve(WhError.ABORTED);
    this.waiters = [];
    this.journal.clear();
  }
}

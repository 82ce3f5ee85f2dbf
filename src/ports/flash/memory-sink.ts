import type { FlashSink } from './flash-sink.js';

export interface MemorySinkOptions {
  /** Milliseconds each write takes (default 0). */
  readonly writeDelayMs?: number;
  /** Milliseconds each sync takes (default 0): a slow disk. */
  readonly syncDelayMs?: number;
}

/**
 * A simulated disk for tests and benchmarks: `written` is what the OS has been
 * handed, `durable` what survives a power cut (as of the last completed sync), and
 * `steps` the exact write/sync sequence, to replay crashes at every point.
 */
export class MemorySink implements FlashSink {
  readonly written: Uint8Array;
  readonly durable: Uint8Array;
  readonly steps: ({ kind: 'write'; offset: number; bytes: Uint8Array } | { kind: 'sync' })[] = [];
  /** Makes the next write or sync fail (a disk error), once. */
  failNext: Error | null = null;
  closed = false;

  /** The simulated latencies; a test may change them between phases. */
  readonly delays: { writeDelayMs: number; syncDelayMs: number };

  constructor(image: Uint8Array, opts: MemorySinkOptions = {}) {
    this.delays = { writeDelayMs: opts.writeDelayMs ?? 0, syncDelayMs: opts.syncDelayMs ?? 0 };
    this.written = image.slice();
    this.durable = image.slice();
  }

  private async delay(ms: number): Promise<void> {
    if (ms && ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  private check(): void {
    if (this.closed) throw new Error('sink closed');
    const f = this.failNext;
    if (f) {
      this.failNext = null;
      throw f;
    }
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    await this.delay(this.delays.writeDelayMs);
    this.check();
    this.written.set(bytes, offset);
    this.steps.push({ kind: 'write', offset, bytes: bytes.slice() });
  }

  async sync(): Promise<void> {
    await this.delay(this.delays.syncDelayMs);
    this.check();
    this.durable.set(this.written);
    this.steps.push({ kind: 'sync' });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

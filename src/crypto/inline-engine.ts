import type { CryptoEngine } from './engine.js';
import { UnknownCryptoJobError } from './engine.js';
import type { CryptoJobTable } from './job-table.js';

/** Runs every job on the calling thread: the engine for small work, and the reference for the others. */
export class InlineEngine implements CryptoEngine {
  private closed = false;

  constructor(private readonly jobs: CryptoJobTable) {}

  async run<T>(job: string, args: unknown): Promise<T> {
    if (this.closed) throw new Error('crypto engine closed');
    const fn = Object.hasOwn(this.jobs, job) ? this.jobs[job] : undefined;
    if (!fn) throw new UnknownCryptoJobError(job);
    return fn(args as never) as T;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

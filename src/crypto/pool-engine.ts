import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { CryptoEngine } from './engine.js';
import { InlineEngine } from './inline-engine.js';
import type { CryptoJobTable } from './job-table.js';
import { CRYPTO_JOBS } from './jobs.js';

export interface PoolEngineOptions {
  /** Jobs cheaper than this (the caller's cost estimate, in bytes) run inline: a worker round trip costs more. */
  readonly inlineBelow?: number;
  /** Worker threads (default: the machine's parallelism). */
  readonly threads?: number;
  /** The job table for inline runs (default CRYPTO_JOBS). */
  readonly jobs?: CryptoJobTable;
  /** A module exporting `jobs: CryptoJobTable` that workers add to CRYPTO_JOBS (an embedder's own jobs). */
  readonly jobsModule?: string | URL;
}

/**
 * Jobs costed below this run inline. On the 2-core machine (`npm run bench -- --only
 * crypto`, section 2) the pool did not beat inline AES-GCM at any measured size up to
 * 1 MiB, so the threshold sits above everything a request can carry (8 KiB): wire
 * symmetric jobs run inline, and what is costed WORKER_COST (key generation,
 * private-key operations) always goes to a worker, for isolation rather than speed.
 */
export const DEFAULT_INLINE_BELOW = 64 * 1024;

/** The worker file beside this module; under tsx (tests) the TypeScript source with tsx's loader. */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./worker.js', here).href, execArgv: [] };
}

/**
 * A worker pool (piscina) for heavy jobs, inline for light ones: a long operation
 * of one client never holds the event loop that serves the others.
 */
export class PoolEngine implements CryptoEngine {
  private readonly inline: InlineEngine;
  private pool: Piscina | null = null;
  private readonly inlineBelow: number;
  private readonly threads: number;
  private readonly jobsModule: string | undefined;
  private closed = false;

  constructor(options: PoolEngineOptions = {}) {
    this.inline = new InlineEngine(options.jobs ?? CRYPTO_JOBS);
    this.inlineBelow = options.inlineBelow ?? DEFAULT_INLINE_BELOW;
    this.threads = options.threads ?? Math.max(1, availableParallelism());
    this.jobsModule = options.jobsModule?.toString();
  }

  /** Workers start with the first heavy job: a server that never needs them never pays for them. */
  private workers(): Piscina {
    if (!this.pool) {
      const w = workerFile();
      this.pool = new Piscina({
        filename: w.filename,
        execArgv: w.execArgv,
        minThreads: 0,
        maxThreads: this.threads,
        idleTimeout: 30_000,
        workerData: { jobsModule: this.jobsModule },
      });
    }
    return this.pool;
  }

  run<T>(job: string, args: unknown, cost: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('crypto engine closed'));
    if (cost < this.inlineBelow) return this.inline.run<T>(job, args);
    return this.workers().run({ job, args }) as Promise<T>;
  }

  /** Jobs waiting for a worker, for metrics. */
  get queued(): number {
    return this.pool?.queueSize ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool?.destroy();
  }
}

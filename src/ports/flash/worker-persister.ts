import { Worker } from 'node:worker_threads';
import type { FromPersistWorker, PersistWorkerData, ToPersistWorker } from './persist-messages.js';
import type { PersistStats, Persister } from './sink-persister.js';

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/**
 * How to start the worker: the built .js beside this module or, when running from
 * the TypeScript sources (tests, through tsx or vitest), the .ts with tsx's loader
 * registered inside the worker first.
 */
function workerEntry(): { readonly code: string | URL; readonly eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./persist-worker.js', import.meta.url), eval: false };
  const entry = JSON.stringify(new URL('./persist-worker.ts', import.meta.url).href);
  return { code: `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, eval: true };
}

/**
 * Persists a flash file on a worker thread (persist-worker.ts): each batch is one
 * message there (its write buffers transferred, not copied) and one answer back,
 * so planning, writes and fdatasyncs cost the main event loop next to nothing.
 * Batches are persisted in the order handed over; a failure rejects its batch and
 * every later one. The worker keeps the process alive only while it has work.
 */
export class WorkerPersister implements Persister {
  private readonly worker: Worker;
  private pending: Pending[] = [];
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly exited: Promise<void>;
  readonly stats: PersistStats = { batches: 0, syncs: 0, bytesWritten: 0 };

  /** Starts the worker; resolves once it has the file open, rejects if it could not open it. */
  static async start(data: PersistWorkerData): Promise<WorkerPersister> {
    const p = new WorkerPersister(data);
    try {
      await p.started;
    } catch (e) {
      await p.worker.terminate();
      throw e;
    }
    return p;
  }

  private readonly started: Promise<void>;

  private constructor(data: PersistWorkerData) {
    const entry = workerEntry();
    this.worker = new Worker(entry.code, { workerData: data, eval: entry.eval });
    this.worker.unref();
    this.worker.on('message', (m: FromPersistWorker) => this.answered(m));
    this.worker.on('error', (e) => this.die(e));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.die(new Error(`persist worker exited (code ${code})`));
        resolve();
      }),
    );
    this.started = new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.ref();
    });
  }

  private returned: ArrayBuffer | null = null;

  spare(): ArrayBuffer | null {
    const b = this.returned;
    this.returned = null;
    return b;
  }

  persist(batch: Uint8Array): Promise<void> {
    // The packed journal is handed over, not cloned.
    const buffer = batch.buffer as ArrayBuffer;
    return this.send({ type: 'batch', buffer, length: batch.byteLength }, [buffer]);
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        if (!this.dead) await this.send({ type: 'close' }, []);
      } finally {
        await this.worker.terminate();
        await this.exited;
      }
    })());
  }

  private send(m: ToPersistWorker, transfer: ArrayBuffer[]): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (this.pending.length === 1) this.worker.ref();
      this.worker.postMessage(m, transfer);
    });
  }

  private answered(m: FromPersistWorker): void {
    const p = this.pending.shift();
    if (this.pending.length === 0) this.worker.unref();
    if (m.type === 'failed') {
      p?.reject(new Error(m.message));
      return;
    }
    if (m.type === 'done') {
      Object.assign(this.stats, m.stats);
      if (m.buffer && (!this.returned || m.buffer.byteLength > this.returned.byteLength)) this.returned = m.buffer;
    }
    // 'ready', 'closed' and 'done' all settle their message.
    p?.resolve();
  }

  private die(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    for (const p of this.pending) p.reject(e);
    this.pending = [];
    this.worker.unref();
  }
}

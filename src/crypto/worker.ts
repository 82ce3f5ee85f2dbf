/** Worker-thread entry of the crypto pool: runs one job from the shared table (or the embedder's, see PoolEngine). */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import type { CryptoJobTable } from './job-table.js';
import { CRYPTO_JOBS } from './jobs.js';
import { lowerThreadPriority } from '../ports/os/thread-priority.js';

// Heavy jobs yield the CPU to the event loop that serves the clients.
lowerThreadPriority();

let table: Promise<CryptoJobTable> | null = null;

/** Loads the embedder's job module; a TypeScript one (tests, run under tsx) through tsx's require hook. */
async function load(spec: string): Promise<{ jobs: CryptoJobTable }> {
  if (spec.endsWith('.ts')) return createRequire(import.meta.url)(fileURLToPath(spec)) as { jobs: CryptoJobTable };
  return (await import(spec)) as { jobs: CryptoJobTable };
}

function jobs(): Promise<CryptoJobTable> {
  const extra = (workerData as { jobsModule?: string } | null)?.jobsModule;
  return (table ??= extra ? load(extra).then((m) => ({ ...CRYPTO_JOBS, ...m.jobs })) : Promise.resolve(CRYPTO_JOBS));
}

export default async function runJob({ job, args }: { job: string; args: unknown }): Promise<unknown> {
  const t = await jobs();
  const fn = Object.hasOwn(t, job) ? t[job] : undefined;
  if (!fn) throw new Error(`unknown crypto job ${job}`);
  return fn(args as never);
}

/** Worker-thread entry of the crypto pool: runs one job from the shared table. */
import { CRYPTO_JOBS } from './jobs.js';

export default function runJob({ job, args }: { job: string; args: unknown }): unknown {
  const fn = Object.hasOwn(CRYPTO_JOBS, job) ? CRYPTO_JOBS[job] : undefined;
  if (!fn) throw new Error(`unknown crypto job ${job}`);
  return fn(args as never);
}

/** Worker-thread entry for hash-worker.test.ts: runs the HASH family's jobs from its own table. */
import { parentPort } from 'node:worker_threads';
import { hashJobs } from '../../src/crypto/hash/jobs.js';

parentPort!.on('message', ({ id, job, args }: { id: number; job: string; args: never }) => {
  parentPort!.postMessage({ id, result: hashJobs[job]!(args) });
});

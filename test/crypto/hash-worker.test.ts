import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { hashJobs } from '../../src/crypto/hash/jobs.js';
import { HASH_ALGORITHMS } from '../../src/crypto/hash/hash-variants.js';
import type { Sha2StepArgs } from '../../src/crypto/hash/sha2-midstate.js';
import type { Sha3StepArgs } from '../../src/crypto/hash/sha3-midstate.js';
import { hex, pattern } from './hash-fixture.js';

/**
 * The hash jobs in a worker thread give the same bytes as inline: their arguments
 * and results survive structured cloning. (The shared PoolEngine worker loads
 * CRYPTO_JOBS, which holds these jobs only once registered there; this worker loads
 * the family's own table.)
 */
// tsx's loader is registered inside the worker first, then the TypeScript entry is imported.
const entry = JSON.stringify(new URL('./hash-worker-entry.ts', import.meta.url).href);
const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, { eval: true });
let next = 0;
const inWorker = (job: string, args: unknown): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const id = next++;
    worker.once('error', reject);
    const onMessage = (m: { id: number; result: unknown }) => {
      if (m.id !== id) return;
      worker.off('message', onMessage);
      resolve(m.result);
    };
    worker.on('message', onMessage);
    worker.postMessage({ job, args, id });
  });

afterAll(() => worker.terminate());

const flatten = (r: unknown): string =>
  JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? `bytes:${hex(v)}` : v));

describe('HASH jobs in a worker thread', () => {
  const sha2: Sha2StepArgs[] = [
    { core: 'sha256', state: { hash: HASH_ALGORITHMS.sha256.initialState, loLen: 0, hiLen: 0 }, input: pattern(8128), final: false, digestSize: 32 },
    { core: 'sha256', state: { hash: HASH_ALGORITHMS.sha224.initialState, loLen: 64, hiLen: 0 }, input: pattern(63), final: true, digestSize: 28 },
    { core: 'sha512', state: { hash: HASH_ALGORITHMS.sha512.initialState, loLen: 0, hiLen: 0 }, input: pattern(8064), final: false, digestSize: 64 },
    { core: 'sha512', state: { hash: HASH_ALGORITHMS['sha512-256'].initialState, loLen: 128, hiLen: 0 }, input: pattern(127), final: true, digestSize: 32 },
  ];
  const sha3: Sha3StepArgs[] = [
    { rate: 136, state: pattern(200), input: pattern(7888), final: false, digestSize: 32 },
    { rate: 72, state: pattern(200, 2), input: pattern(71), final: true, digestSize: 64 },
  ];

  it('every sample gives the inline result', async () => {
    for (const args of sha2) expect(flatten(await inWorker('hash.sha2', args))).toBe(flatten(hashJobs['hash.sha2']!(args as never)));
    for (const args of sha3) expect(flatten(await inWorker('hash.sha3', args))).toBe(flatten(hashJobs['hash.sha3']!(args as never)));
    expect(flatten(await inWorker('hash.sha2', sha2[0]))).toContain('bytes:');
  });
});

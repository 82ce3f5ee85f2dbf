import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PoolEngine } from '../../src/crypto/pool-engine.js';
import { WORKER_NICENESS } from '../../src/ports/os/thread-priority.js';
import { jobs } from './helpers/slow-jobs.js';

const linux = existsSync('/proc/thread-self');
const ownNice = () => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);

describe('crypto worker threads yield to the event loop', () => {
  it('a job in the pool runs niced, below the event loop (not starved: normal policy); an inline job does not', async () => {
    expect(linux, 'CI runs on Linux, where threads have their own priorities').toBe(true);
    const engine = new PoolEngine({ jobsModule: new URL('./helpers/slow-jobs.ts', import.meta.url), threads: 1, jobs: { ...jobs } });
    try {
      const base = ownNice();
      // Niced, under the normal policy (SCHED_OTHER, 0): SCHED_IDLE would starve it on a busy machine.
      expect(await engine.run('test.niceness', {}, Number.MAX_SAFE_INTEGER)).toEqual({ nice: Math.min(19, base + WORKER_NICENESS), policy: 0 });
      expect(await engine.run('test.niceness', {}, 0)).toEqual({ nice: base, policy: 0 });
      expect(ownNice()).toBe(base);
    } finally {
      await engine.close();
    }
  });
});

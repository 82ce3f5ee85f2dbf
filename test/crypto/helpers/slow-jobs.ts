import type { CryptoJobTable } from '../../../src/crypto/job-table.js';

/** A job that keeps a CPU busy for `ms` milliseconds (a stand-in for a long key generation). */
function spin({ ms, tag }: { ms: number; tag: string }): string {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x++;
  return `${tag}:${x > 0 ? 'done' : 'done'}`;
}

export const jobs: CryptoJobTable = { 'test.spin': spin as (args: never) => unknown };

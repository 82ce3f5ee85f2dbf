import { readFileSync, readlinkSync } from 'node:fs';
import type { CryptoJobTable } from '../../../src/crypto/job-table.js';

/** A job that keeps a CPU busy for `ms` milliseconds (a stand-in for a long key generation). */
function spin({ ms, tag }: { ms: number; tag: string }): string {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x++;
  return `${tag}:${x > 0 ? 'done' : 'done'}`;
}

/** The OS niceness and scheduling policy of the thread running the job (Linux /proc; null elsewhere). */
function niceness(): { nice: number; policy: number } | null {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop();
    // Fields 19 (nice) and 41 (policy) of stat; the command name (field 2) may hold spaces, so count from its ')'.
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { nice: Number(f[16]), policy: Number(f[38]) };
  } catch {
    return null;
  }
}

export const jobs: CryptoJobTable = { 'test.spin': spin as (args: never) => unknown, 'test.niceness': niceness };

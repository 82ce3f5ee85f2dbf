import { readFileSync, readlinkSync } from 'node:fs';
import type { CryptoJobTable } from '../../../src/crypto/job-table.js';

/** A job that keeps a CPU busy for `ms` milliseconds (a stand-in for a long key generation). */
function spin({ ms, tag }: { ms: number; tag: string }): string {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x++;
  return `${tag}:${x > 0 ? 'done' : 'done'}`;
}

/** The OS niceness of the thread running the job (Linux /proc; null elsewhere). */
function niceness(): number | null {
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop();
    // Field 19 of stat is the nice value; the command name (field 2) may hold spaces, so count from its ')'.
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null;
  }
}

export const jobs: CryptoJobTable = { 'test.spin': spin as (args: never) => unknown, 'test.niceness': niceness };

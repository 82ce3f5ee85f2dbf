import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How much nicer a background thread (crypto worker, flash persister) is than the event loop (Linux nice units). */
export const WORKER_NICENESS = 10;

/**
 * The OS port for background threads: lowers the scheduling priority of the calling
 * thread (Linux: the thread's own id from /proc/thread-self, which setpriority treats
 * as one thread). A worker generating keys, or the flash persister between its syncs,
 * then yields its core to the event loop that answers every client. `idle` (default)
 * adds SCHED_IDLE: right for work that may wait (key generation), not for the flash
 * persister, which every durable answer waits for and must not starve on a busy machine. Best effort: on systems without
 * per-thread priorities it changes nothing and answers false.
 */
export function lowerThreadPriority(opts: { readonly niceness?: number; readonly idle?: boolean } = {}): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, opts.niceness ?? WORKER_NICENESS);
    if (opts.idle ?? true) idlePolicy(tid);
    return true;
  } catch {
    return false;
  }
}

/**
 * Linux's SCHED_IDLE for the thread, through util-linux's chrt (Node has no binding):
 * a nice thread still runs out its time slice before a woken event loop gets the core
 * (EEVDF), an idle-policy one is preempted at once. Best effort, once per worker start.
 */
function idlePolicy(tid: number): boolean {
  try {
    execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 2000 });
    return true;
  } catch {
    return false;
  }
}

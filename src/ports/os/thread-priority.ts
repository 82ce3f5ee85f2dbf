import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How much nicer a background thread (crypto worker, flash persister) is than the event loop (Linux nice units). */
export const WORKER_NICENESS = 10;

/**
 * The OS port for background threads: lowers the scheduling priority of the calling
 * thread (Linux: the thread's own id from /proc/thread-self, which setpriority treats
 * as one thread). A worker generating keys, or the flash persister between its syncs,
 * then yields its core to the event loop that answers every client. Nice, not Linux's
 * SCHED_IDLE: an idle-policy thread gets no CPU at all while the machine is busy, so a
 * flood of cheap requests would starve every key generation (and every durable write);
 * a niced one keeps a small share. Best effort: on systems without
 * per-thread priorities it changes nothing and answers false.
 */
export function lowerThreadPriority(niceness = WORKER_NICENESS): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}

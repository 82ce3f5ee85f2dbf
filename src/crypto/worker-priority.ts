import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How much nicer a crypto worker is than the event loop (Linux nice units). */
export const WORKER_NICENESS = 10;

/**
 * Lowers the OS scheduling priority of the calling thread (Linux: the thread's own
 * id from /proc/thread-self, which setpriority treats as one thread). A worker doing
 * key generation then yields its core to the event loop that answers every client,
 * so heavy crypto never delays another client's ECHO. Best effort: on systems without
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

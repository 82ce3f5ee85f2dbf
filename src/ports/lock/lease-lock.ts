import { WhError, type WhRc } from '../../errors.js';
import type { LockCallbacks, LockConfig } from './lock.js';

/** What a lease lock needs from the owner actor. */
export interface LeaseGrantor {
  acquireLease(lessee: string): Promise<WhRc>;
  releaseLease(lessee: string): Promise<WhRc>;
  lesseeGone(lessee: string): void;
}

export interface LeaseLockContext {
  readonly owner: LeaseGrantor;
  readonly lessee: string;
  initialized: boolean;
}

/**
 * The default lock backend: a lease from the owner actor. Acquire is a message
 * into the owner's mailbox and resolves when the owner grants it, in mailbox
 * order (FIFO); while it is held the owner serves only this lessee. Like an
 * error-checking pthread mutex, a holder acquiring again gets ABORTED, and
 * acquire/release before the backend's init answer NOTREADY. Cleanup revokes a
 * held lease, so a forgotten lock cannot block everyone.
 */
export const LEASE_LOCK_CB: LockCallbacks<LeaseLockContext> = {
  init(ctx) {
    ctx.initialized = true;
    return WhError.OK;
  },
  cleanup(ctx) {
    if (ctx.initialized) ctx.owner.lesseeGone(ctx.lessee);
    ctx.initialized = false;
    return WhError.OK;
  },
  acquire(ctx) {
    return ctx.initialized ? ctx.owner.acquireLease(ctx.lessee) : WhError.NOTREADY;
  },
  release(ctx) {
    return ctx.initialized ? ctx.owner.releaseLease(ctx.lessee) : WhError.NOTREADY;
  },
};

export function leaseLockConfig(owner: LeaseGrantor, lessee: string): LockConfig<LeaseLockContext> {
  return { cb: LEASE_LOCK_CB, context: { owner, lessee, initialized: false } };
}

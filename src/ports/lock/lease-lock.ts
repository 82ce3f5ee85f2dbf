import { WhError, type WhRc } from '../../errors.js';
import type { LockCallbacks, LockConfig } from './lock.js';

/** What a lease lock needs: one lessee's capability from the owner actor (an OwnerClient). */
export interface LeaseGrantor {
  acquireLease(): Promise<WhRc>;
  releaseLease(): Promise<WhRc>;
  /** Revokes a held lease and drops what the lessee queued; the lessee stays usable. */
  abandon(): void;
}

export interface LeaseLockContext {
  readonly owner: LeaseGrantor;
  initialized: boolean;
}

/**
 * The default lock backend: a lease from the owner actor. Acquire is a message
 * into the owner's mailbox and resolves when the owner grants it, in mailbox
 * order (FIFO); while it is held the owner serves only this lessee. Like an
 * error-checking pthread mutex, a holder acquiring again gets ABORTED, releasing a
 * lease one does not hold LOCKED, and acquire/release before the backend's init
 * NOTREADY. Cleanup ends the lessee (a held lease is revoked), so a forgotten lock
 * cannot block everyone; so does the owner's lease deadline.
 */
export const LEASE_LOCK_CB: LockCallbacks<LeaseLockContext> = {
  init(ctx) {
    ctx.initialized = true;
    return WhError.OK;
  },
  cleanup(ctx) {
    if (ctx.initialized) ctx.owner.abandon();
    ctx.initialized = false;
    return WhError.OK;
  },
  acquire(ctx) {
    return ctx.initialized ? ctx.owner.acquireLease() : WhError.NOTREADY;
  },
  release(ctx) {
    return ctx.initialized ? ctx.owner.releaseLease() : WhError.NOTREADY;
  },
};

export function leaseLockConfig(owner: LeaseGrantor): LockConfig<LeaseLockContext> {
  return { cb: LEASE_LOCK_CB, context: { owner, initialized: false } };
}

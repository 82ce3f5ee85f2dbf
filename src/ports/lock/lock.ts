import { WhError, type WhRc } from '../../errors.js';

/** wolfHSM's lock callback table (whLockCb). Any callback may be absent. */
export interface LockCallbacks<C> {
  init?(context: C, config: unknown): WhRc;
  cleanup?(context: C): WhRc;
  /** Waits for the lock (the C call blocks; ours resolves). */
  acquire?(context: C): Promise<WhRc> | WhRc;
  release?(context: C): Promise<WhRc> | WhRc;
}

/** whLockConfig: callbacks, the backend's context, and an opaque config handed to init. */
export interface LockConfig<C> {
  readonly cb: LockCallbacks<C> | null;
  readonly context: C;
  readonly config?: unknown;
}

/**
 * The generic lock layer (wh_lock.c) with its exact result codes: no config means
 * no-op mode; acquire/release before init or after cleanup answer BADARGS; cleanup
 * is idempotent; a failing init leaves the lock uninitialised. A backend that
 * throws or rejects answers ABORTED.
 */
export class WhLock<C = unknown> {
  private cb: LockCallbacks<C> | null = null;
  private context: C | null = null;
  private initialized = false;

  init(config: LockConfig<C> | null): WhRc {
    if (config === null || config.cb === null) {
      this.cb = null;
      this.context = null;
      this.initialized = true;
      return WhError.OK;
    }
    this.cb = config.cb;
    this.context = config.context;
    if (config.cb.init) {
      let rc: WhRc;
      try {
        rc = config.cb.init(config.context, config.config);
      } catch {
        rc = WhError.ABORTED;
      }
      if (rc !== WhError.OK) {
        this.cb = null;
        this.context = null;
        return rc;
      }
    }
    this.initialized = true;
    return WhError.OK;
  }

  cleanup(): WhRc {
    if (this.cb?.cleanup && this.context !== null) {
      try {
        this.cb.cleanup(this.context);
      } catch {
        /* the generic layer ignores cleanup results */
      }
    }
    this.cb = null;
    this.context = null;
    this.initialized = false;
    return WhError.OK;
  }

  get isInitialized(): boolean {
    return this.initialized;
  }

  acquire(): Promise<WhRc> {
    return this.call('acquire');
  }

  release(): Promise<WhRc> {
    return this.call('release');
  }

  private async call(which: 'acquire' | 'release'): Promise<WhRc> {
    if (!this.initialized) return WhError.BADARGS;
    const fn = this.cb?.[which];
    if (!fn || this.context === null) return WhError.OK;
    try {
      return await fn.call(this.cb, this.context);
    } catch {
      return WhError.ABORTED;
    }
  }
}

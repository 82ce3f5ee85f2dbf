import type { LockConfig } from './lock.js';

/**
 * The single-client configuration: no lock at all (wolfHSM without
 * WOLFHSM_CFG_THREADSAFE, or a NULL lock config). Every call answers OK.
 */
export const NOOP_LOCK_CONFIG: LockConfig<null> | null = null;

import type { Phase } from './phases.js';

/** Public-key races on stored keys (Crypto II). */
export const PK_PHASES: readonly Phase[] = [];

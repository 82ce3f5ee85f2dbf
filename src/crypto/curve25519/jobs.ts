import type { CryptoJobTable } from '../job-table.js';

/** Curve25519 crypto jobs, by name. */
export const curve25519Jobs: CryptoJobTable = {};

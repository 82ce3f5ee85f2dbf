import type { CryptoJobTable } from '../job-table.js';

/** Ed25519 crypto jobs, by name. */
export const ed25519Jobs: CryptoJobTable = {};

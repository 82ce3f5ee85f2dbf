import type { CryptoJobTable } from '../job-table.js';

/** ECC crypto jobs, by name. */
export const eccJobs: CryptoJobTable = {};

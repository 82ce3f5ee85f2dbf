import type { CryptoJobTable } from '../job-table.js';

/** ML-DSA crypto jobs, by name. */
export const mldsaJobs: CryptoJobTable = {};

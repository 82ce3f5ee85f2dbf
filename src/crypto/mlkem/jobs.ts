import type { CryptoJobTable } from '../job-table.js';

/** ML-KEM crypto jobs, by name. */
export const mlkemJobs: CryptoJobTable = {};

import type { CryptoJobTable } from '../job-table.js';

/** RSA crypto jobs, by name. */
export const rsaJobs: CryptoJobTable = {};

import { aesJobs } from './aes/jobs.js';
import { cmacJobs } from './cmac/jobs.js';
import { hashJobs } from './hash/jobs.js';
import type { CryptoJobTable } from './job-table.js';
import { kdfJobs } from './kdf/jobs.js';
import { keywrapJobs } from './keywrap/jobs.js';

/**
 * Every crypto job the server knows, by name: the table both the inline engine and
 * the worker threads run from. Each algorithm family contributes its own table.
 */
export const CRYPTO_JOBS: CryptoJobTable = { ...hashJobs, ...aesJobs, ...cmacJobs, ...kdfJobs, ...keywrapJobs };

import { certJobs } from '../cert/jobs.js';
import { aesJobs } from './aes/jobs.js';
import { cmacJobs } from './cmac/jobs.js';
import { curve25519Jobs } from './curve25519/jobs.js';
import { eccJobs } from './ecc/jobs.js';
import { ed25519Jobs } from './ed25519/jobs.js';
import { hashJobs } from './hash/jobs.js';
import type { CryptoJobTable } from './job-table.js';
import { kdfJobs } from './kdf/jobs.js';
import { keywrapJobs } from './keywrap/jobs.js';
import { mldsaJobs } from './mldsa/jobs.js';
import { mlkemJobs } from './mlkem/jobs.js';
import { rsaJobs } from './rsa/jobs.js';

/**
 * Every crypto job the server knows, by name: the table both the inline engine and
 * the worker threads run from. Each algorithm family contributes its own table.
 */
export const CRYPTO_JOBS: CryptoJobTable = {
  ...hashJobs,
  ...aesJobs,
  ...cmacJobs,
  ...kdfJobs,
  ...keywrapJobs,
  ...rsaJobs,
  ...eccJobs,
  ...curve25519Jobs,
  ...ed25519Jobs,
  ...mldsaJobs,
  ...mlkemJobs,
  ...certJobs,
};

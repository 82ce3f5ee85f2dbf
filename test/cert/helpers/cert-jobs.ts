import { certJobs } from '../../../src/cert/jobs.js';
import type { CryptoJobTable } from '../../../src/crypto/job-table.js';

/** For a PoolEngine's `jobsModule` (loaded in workers): the CERT jobs, as the lead will add them to CRYPTO_JOBS. */
export const jobs: CryptoJobTable = certJobs;

import type { CryptoJobTable } from '../../../src/crypto/job-table.js';
import { kdfJobs } from '../../../src/crypto/kdf/jobs.js';
import { keywrapJobs } from '../../../src/crypto/keywrap/jobs.js';

/** For a PoolEngine's `jobsModule` (loaded in workers, so nothing test-only here): the KDF and key-wrap jobs. */
export const jobs: CryptoJobTable = { ...kdfJobs, ...keywrapJobs };

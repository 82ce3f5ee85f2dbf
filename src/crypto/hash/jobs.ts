import type { CryptoJobTable } from '../job-table.js';
import { sha2Step, type Sha2StepArgs } from './sha2-midstate.js';
import { sha3Step, type Sha3StepArgs } from './sha3-midstate.js';

/** The HASH family's engine jobs: one request's worth of SHA-2 or SHA-3 from a client-held state. */
export const hashJobs: CryptoJobTable = {
  'hash.sha2': (args: Sha2StepArgs) => sha2Step(args),
  'hash.sha3': (args: Sha3StepArgs) => sha3Step(args),
};

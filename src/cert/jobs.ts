import type { CryptoJobTable } from '../crypto/job-table.js';
import { verifyAcert, type VerifyAcertArgs } from './acert.js';
import { verifyChain, type VerifyChainArgs } from './chain-verify.js';

/** Job names of the CERT group: verification runs on the crypto engine, outside the owner. */
export const CertJob = { VERIFY_CHAIN: 'cert.verifyChain', VERIFY_ACERT: 'cert.verifyAcert' } as const;

/** The CERT group's crypto jobs (to be spread into CRYPTO_JOBS). Synchronous and pure. */
export const certJobs: CryptoJobTable = {
  [CertJob.VERIFY_CHAIN]: (args: VerifyChainArgs) => verifyChain(args),
  [CertJob.VERIFY_ACERT]: (args: VerifyAcertArgs) => verifyAcert(args),
};

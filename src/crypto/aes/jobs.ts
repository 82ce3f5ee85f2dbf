import type { CryptoJobTable } from '../job-table.js';
import { aesCbc } from './cbc.js';
import { aesCtr } from './ctr.js';
import { aesEcb } from './ecb.js';
import { aesGcmDecrypt, aesGcmEncrypt } from './gcm.js';

/** Job names of the AES family (the handler and the tables agree through these). */
export const AesJob = {
  ECB: 'aes.ecb',
  CBC: 'aes.cbc',
  CTR: 'aes.ctr',
  GCM_ENCRYPT: 'aes.gcmEncrypt',
  GCM_DECRYPT: 'aes.gcmDecrypt',
} as const;

/** AES-ECB/CBC/CTR/GCM as engine jobs: pure functions of plain data. */
export const aesJobs: CryptoJobTable = {
  [AesJob.ECB]: aesEcb,
  [AesJob.CBC]: aesCbc,
  [AesJob.CTR]: aesCtr,
  [AesJob.GCM_ENCRYPT]: aesGcmEncrypt,
  [AesJob.GCM_DECRYPT]: aesGcmDecrypt,
};

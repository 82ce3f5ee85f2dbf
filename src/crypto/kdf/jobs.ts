import type { CryptoJobTable } from '../job-table.js';
import { twoStepCmacKdf } from './cmac-kdf.js';
import { hkdf, type KdfOutput } from './hkdf.js';

export interface HkdfJobArgs {
  readonly hashType: number;
  readonly ikm: Uint8Array;
  readonly salt: Uint8Array;
  readonly info: Uint8Array;
  readonly outSz: number;
}

export interface CmacKdfJobArgs {
  readonly salt: Uint8Array;
  readonly z: Uint8Array;
  readonly fixedInfo: Uint8Array;
  readonly outSz: number;
}

export type KdfJobResult = KdfOutput;

/** The KDF family's jobs (CRYPTO action 9): plain data in, plain data out. */
export const kdfJobs: CryptoJobTable = {
  'kdf.hkdf': (a: HkdfJobArgs): KdfJobResult => hkdf(a.hashType, a.ikm, a.salt, a.info, a.outSz),
  'kdf.cmacTwoStep': (a: CmacKdfJobArgs): KdfJobResult => twoStepCmacKdf(a.salt, a.z, a.fixedInfo, a.outSz),
};

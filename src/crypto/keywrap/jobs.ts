import type { CryptoJobTable } from '../job-table.js';
import { openBlob, sealBlob, type Opened, type Sealed, type WrapDomain } from './blob.js';

export interface SealJobArgs {
  readonly kek: Uint8Array;
  readonly iv: Uint8Array;
  readonly domain: WrapDomain;
  readonly plaintext: Uint8Array;
}

export interface OpenJobArgs {
  readonly kek: Uint8Array;
  readonly domain: WrapDomain;
  readonly blob: Uint8Array;
}

export type SealJobResult = Sealed;
export type OpenJobResult = Opened;

/** The key-wrap jobs (KEY actions 8-12, 16): AES-GCM under a KEK, plain data in and out. */
export const keywrapJobs: CryptoJobTable = {
  'keywrap.seal': (a: SealJobArgs): SealJobResult => sealBlob(a.kek, a.iv, a.domain, a.plaintext),
  'keywrap.open': (a: OpenJobArgs): OpenJobResult => openBlob(a.kek, a.domain, a.blob),
};

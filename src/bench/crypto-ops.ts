/**
 * The crypto bench's requests, shared by the in-process clients of `crypto.ts` and the
 * separate-process load clients of `load-client.ts`, so both transports do identical work.
 */
import type { HsmClient } from '../client/hsm-client.js';

export type CryptoOpName = 'aesgcm1k' | 'aescbc1k' | 'cmac1k' | 'sha256-1k' | 'echo1k' | 'aesgcm8k' | 'echo8k';

export const KEY16 = new Uint8Array(16).fill(0x2b);
export const IV12 = new Uint8Array(12).fill(0x0c);
export const IV16 = new Uint8Array(16).fill(0x10);
export const DATA_1K = new Uint8Array(1024).fill(0x5a);
/** Near the largest GCM plaintext one request holds: 40-byte struct + data + 16-byte key + 12-byte IV within DATA_LEN 8192. */
export const DATA_8K = new Uint8Array(8000).fill(0xa5);

/** Wire requests per operation: a SHA-256 of whole blocks is an update then an empty final (a final must be shorter than a block). */
export const REQUESTS_PER_OP: Readonly<Record<CryptoOpName, number>> = { aesgcm1k: 1, aescbc1k: 1, cmac1k: 1, 'sha256-1k': 2, echo1k: 1, aesgcm8k: 1, echo8k: 1 };

/** One operation through the HSM; true when it answered OK with the expected size. */
export const CRYPTO_OPS: Readonly<Record<CryptoOpName, (c: HsmClient) => Promise<boolean>>> = {
  aesgcm1k: async (c) => (await c.crypto.aesGcmEncrypt({ key: KEY16, iv: IV12, data: DATA_1K, tagSize: 16 })).rc === 0,
  aescbc1k: async (c) => (await c.crypto.aesCbc({ key: KEY16, iv: IV16, data: DATA_1K, encrypt: true })).rc === 0,
  cmac1k: async (c) => (await c.crypto.cmac({ key: KEY16, data: DATA_1K })).rc === 0,
  'sha256-1k': async (c) => (await c.crypto.digest('sha256', DATA_1K)).rc === 0,
  echo1k: async (c) => (await c.echo(DATA_1K)).length === DATA_1K.length,
  aesgcm8k: async (c) => (await c.crypto.aesGcmEncrypt({ key: KEY16, iv: IV12, data: DATA_8K, tagSize: 16 })).rc === 0,
  /** The same bytes each way as aesgcm8k with no crypto: what 8 KiB streams alone cost the machine. */
  echo8k: async (c) => (await c.echo(DATA_8K)).length === DATA_8K.length,
};

export const isCryptoOp = (w: string): w is CryptoOpName => Object.hasOwn(CRYPTO_OPS, w);

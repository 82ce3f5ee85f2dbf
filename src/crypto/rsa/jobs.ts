import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { decodeRsaKey } from './key.js';
import { generateRsaKeyPair, type RsaKeyPairResult } from './keygen.js';
import { rsaFunction, type RsaFunctionResult } from './raw.js';

export interface RsaGenerateArgs {
  /** Modulus length in bits. */
  readonly size: number;
  readonly e: number;
}

export interface RsaFunctionArgs {
  /** The stored key bytes (DER). */
  readonly key: Uint8Array;
  readonly op: number;
  readonly input: Uint8Array;
  /** The client's output buffer size. */
  readonly outLen: number;
}

export type RsaSizeResult = { readonly rc: 0; readonly size: number } | { readonly rc: number };

/** Modulus length in bytes of a stored key (wc_RsaEncryptSize after the decode). */
function rsaSize({ key }: PublicKeyArgs): RsaSizeResult {
  const d = decodeRsaKey(key);
  return 'key' in d ? { rc: 0, size: d.key.size } : { rc: d.rc };
}

/** The public part of a stored key as EXPORT_PUBLIC returns it: SPKI DER. */
function rsaPublicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const d = decodeRsaKey(key);
  if (!('key' in d)) return { rc: d.rc };
  return { rc: 0, publicKey: new Uint8Array(d.key.publicKey.export({ type: 'spki', format: 'der' })) };
}

/** RSA crypto jobs, by name: plain data in, plain data out. */
export const rsaJobs: CryptoJobTable = {
  'rsa.generate': (a: RsaGenerateArgs): RsaKeyPairResult => generateRsaKeyPair(a.size, a.e),
  'rsa.function': (a: RsaFunctionArgs): RsaFunctionResult => rsaFunction(a.key, a.op, a.input, a.outLen),
  'rsa.size': rsaSize,
  'rsa.publicKey': rsaPublicKey,
};

import { generateKeyPairSync } from 'node:crypto';
import { WcError } from '../wolfcrypt.js';

/** The example server's wolfCrypt limits (RSA_MIN_SIZE 1024; FP_MAX_BITS 8192 → RSA_MAX_SIZE 4096). */
export const RSA_MIN_BITS = 1024;
export const RSA_MAX_BITS = 4096;

export type RsaKeyPairResult =
  | { readonly rc: 0; readonly privateKey: Uint8Array; readonly publicKey: Uint8Array }
  | { readonly rc: number };

/**
 * wc_MakeRsaKey: size and exponent checked as wolfCrypt does (BAD_FUNC_ARG), then a
 * key pair as PKCS#1 RSAPrivateKey DER and SPKI DER. wolfCrypt builds each prime from
 * size/16 bytes, so the modulus is `size` rounded down to a multiple of 16 bits.
 * Node draws the primes from OpenSSL's RNG, not the server DRBG (deviations.md).
 * Synchronous on purpose: the job runs on a crypto worker, whose lowered priority must
 * cover the work; node's async variant would run it on libuv's shared thread pool at
 * normal priority, beside the event loop.
 */
export function generateRsaKeyPair(size: number, e: number): RsaKeyPairResult {
  if (size < RSA_MIN_BITS || size > RSA_MAX_BITS) return { rc: WcError.BAD_FUNC_ARG };
  if (e < 3 || e % 2 === 0) return { rc: WcError.BAD_FUNC_ARG };
  const pair = generateKeyPairSync('rsa', {
    modulusLength: size - (size % 16),
    publicExponent: e,
    privateKeyEncoding: { type: 'pkcs1', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  const privateKey = new Uint8Array(pair.privateKey);
  pair.privateKey.fill(0);
  return { rc: 0, privateKey, publicKey: new Uint8Array(pair.publicKey) };
}

import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { KeyMemo } from '../key-memo.js';
import { okpPrivateKey, okpPublicKey } from './okp-jwk.js';

/** X25519 on node:crypto, in RFC 7748 byte order (little-endian scalars and u-coordinates); keys enter as JWK (okp-jwk.ts). */

/** Agreements use stored keys again and again: their KeyObjects are kept per thread (a fresh key's are not). */
const privateKeys = new KeyMemo<KeyObject>(16, (scalar) => okpPrivateKey('X25519', scalar));

/** The public u-coordinate of a scalar (clamped as RFC 7748 5 says). */
export function x25519PublicKey(scalar: Uint8Array): Uint8Array {
  const jwk = createPublicKey(okpPrivateKey('X25519', scalar)).export({ format: 'jwk' });
  return Uint8Array.from(Buffer.from(jwk.x!, 'base64url'));
}

/**
 * X25519(scalar, u). A low-order peer point gives the all-zero value, which
 * OpenSSL refuses to hand out; wolfCrypt returns it unless built with
 * WOLFSSL_ECDHX_SHARED_NOT_ZERO (off by default), so this returns it too.
 */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  const peer = okpPublicKey('X25519', u);
  try {
    return new Uint8Array(diffieHellman({ privateKey: privateKeys.get(scalar), publicKey: peer }));
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_OSSL_FAILED_DURING_DERIVATION') return new Uint8Array(32);
    throw e;
  }
}

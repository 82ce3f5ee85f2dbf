import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { WhError } from '../../errors.js';
import { WcError } from '../wolfcrypt.js';

/** A stored RSA key as the handlers use it: the node key objects and the modulus. */
export interface RsaKey {
  /** Null for a public-only key. */
  readonly privateKey: KeyObject | null;
  readonly publicKey: KeyObject;
  readonly n: bigint;
  /** Modulus length in bytes (wc_RsaEncryptSize). */
  readonly size: number;
}

export type RsaKeyResult = { readonly rc: 0; readonly key: RsaKey } | { readonly rc: number };

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** A node key of type RSA parsed from DER in one of the given encodings, or null. */
function parse<T extends 'pkcs1' | 'pkcs8' | 'spki'>(make: (o: { key: Buffer; format: 'der'; type: T }) => KeyObject, der: Buffer, types: readonly T[]): KeyObject | null {
  for (const type of types) {
    try {
      const key = make({ key: der, format: 'der', type });
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // not this encoding: try the next one
    }
  }
  return null;
}

export function bigintFromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

/** `v` as exactly `size` big-endian bytes (v < 256^size). */
export function bigintToBytes(v: bigint, size: number): Uint8Array {
  const hex = v.toString(16).padStart(size * 2, '0');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * wolfHSM's RSA key decoder (wh_Crypto_RsaDeserializeKeyDer): a private key (PKCS#1
 * RSAPrivateKey or PKCS#8) first, else a public key (SPKI or PKCS#1 RSAPublicKey).
 * Bytes that are neither fail with ASN_PARSE_E, as wolfCrypt's decoders.
 */
export function decodeRsaKey(der: Uint8Array): RsaKeyResult {
  if (der.length === 0) return { rc: WhError.BADARGS };
  const buf = asBuffer(der);
  const privateKey = parse(createPrivateKey, buf, ['pkcs1', 'pkcs8']);
  const publicKey = privateKey ? createPublicKey(privateKey) : parse(createPublicKey, buf, ['spki', 'pkcs1']);
  if (!publicKey) return { rc: WcError.ASN_PARSE_E };
  const n = bigintFromBytes(Buffer.from(publicKey.export({ format: 'jwk' }).n ?? '', 'base64url'));
  return { rc: 0, key: { privateKey, publicKey, n, size: Math.ceil(n.toString(16).length / 2) } };
}

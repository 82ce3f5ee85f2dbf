import { OkpOid, decodeOkp, encodeOkpPrivate, encodeOkpPublic } from './okp-der.js';

/**
 * X25519 keys in wolfCrypt's DER (spec-crypto 11.1): the scalar and the
 * u-coordinate sit there big-endian, i.e. byte-reversed against RFC 7748. Every
 * value in and out of this module is in RFC 7748 (little-endian) order.
 */

const reversed = (b: Uint8Array) => b.slice().reverse();

/** The 82-byte private DER of a key pair (a standard PKCS#8 from node would be read reversed). */
export const x25519PrivateDer = (scalar: Uint8Array, publicKey: Uint8Array): Uint8Array => encodeOkpPrivate(OkpOid.X25519, reversed(scalar), reversed(publicKey));

/** The 44-byte SubjectPublicKeyInfo, u reversed as wolfCrypt writes it. */
export const x25519PublicDer = (u: Uint8Array): Uint8Array => encodeOkpPublic(OkpOid.X25519, reversed(u));

/** A decoded X25519 key: the scalar when private, the u-coordinate when the DER carries one. */
export interface X25519Key {
  readonly scalar?: Uint8Array;
  readonly publicKey?: Uint8Array;
}

/** wolfCrypt's X25519 decoder: private form (public half optional), else SubjectPublicKeyInfo; null when neither. */
export function decodeX25519(der: Uint8Array): X25519Key | null {
  const k = decodeOkp(OkpOid.X25519, der);
  if (!k) return null;
  return { ...(k.privateKey && { scalar: reversed(k.privateKey) }), ...(k.publicKey && { publicKey: reversed(k.publicKey) }) };
}

/** RFC 7748 5: the scalar bits X25519 ignores or fixes, applied as wolfCrypt's key generation stores them. */
export function clampX25519(random: Uint8Array): Uint8Array {
  const k = random.slice(0, 32);
  k[0]! &= 248;
  k[31]! &= 127;
  k[31]! |= 64;
  return k;
}

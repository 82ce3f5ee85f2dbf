import { OkpOid, decodeOkp, encodeOkpPrivate, encodeOkpPublic } from '../curve25519/okp-der.js';

/**
 * Ed25519 keys in wolfCrypt's DER (spec-crypto 12.1): seed and public key in RFC
 * 8032 byte order. The private form is version 0 with the public key as `[1]`,
 * which node and OpenSSL refuse ("wrong tag"); the standard PKCS#8 without the
 * public key and the SPKI are read too.
 */

/** The 82-byte private DER wolfCrypt writes for a key pair. */
export const ed25519PrivateDer = (seed: Uint8Array, publicKey: Uint8Array): Uint8Array => encodeOkpPrivate(OkpOid.ED25519, seed, publicKey);

/** The 44-byte SubjectPublicKeyInfo (standard). */
export const ed25519PublicDer = (publicKey: Uint8Array): Uint8Array => encodeOkpPublic(OkpOid.ED25519, publicKey);

/** A decoded Ed25519 key: the seed when private, the public key when the DER carries one. */
export interface Ed25519Key {
  readonly seed?: Uint8Array;
  readonly publicKey?: Uint8Array;
}

/** wolfCrypt's Ed25519 decoders: private form (public half optional), else SubjectPublicKeyInfo; null when neither. */
export function decodeEd25519(der: Uint8Array): Ed25519Key | null {
  const k = decodeOkp(OkpOid.ED25519, der);
  if (!k) return null;
  return { ...(k.privateKey && { seed: k.privateKey }), ...(k.publicKey && { publicKey: k.publicKey }) };
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * X25519 and Ed25519 keys into node KeyObjects, as JWK: node's DER import costs
 * several times more (~0.1 ms per X25519 agreement with JWK, ~0.7 ms with PKCS#8 and SPKI).
 */
export type OkpCurve = 'X25519' | 'Ed25519';

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** node's JWK parser wants `x` on a private key too; it derives the public half from `d`, whatever `x` says. */
const PLACEHOLDER_X = b64(new Uint8Array(32));

/** The private key of a 32-byte scalar (X25519) or seed (Ed25519), in RFC byte order. */
export const okpPrivateKey = (crv: OkpCurve, d: Uint8Array): KeyObject => createPrivateKey({ key: { kty: 'OKP', crv, d: b64(d), x: PLACEHOLDER_X }, format: 'jwk' });

/** The public key of a 32-byte u-coordinate (X25519) or encoded point (Ed25519). */
export const okpPublicKey = (crv: OkpCurve, x: Uint8Array): KeyObject => createPublicKey({ key: { kty: 'OKP', crv, x: b64(x) }, format: 'jwk' });

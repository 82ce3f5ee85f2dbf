import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { eddsa, type EdDSA } from '@noble/curves/abstract/edwards.js';
import { ed25519, ed25519ctx } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { WcError } from '../wolfcrypt.js';
import { ED25519_SIG_SIZE, Ed25519Type, type Ed25519TypeNumber } from './messages.js';

/**
 * RFC 8032 Ed25519, Ed25519ctx and Ed25519ph as wolfCrypt's sign_msg_ex and
 * verify_msg_ex compute them. Pure Ed25519 runs on node:crypto (about 0.1 ms with
 * JWK keys). Node 20 accepts a `context` option and silently ignores it, so the
 * ctx and ph variants run on @noble/curves (about 0.65 ms per signature).
 */

const DOM2_PREFIX = new TextEncoder().encode('SigEd25519 no Ed25519 collisions');

/** RFC 8032 dom2(phflag, context) in front of the hashed data. */
function dom2(data: Uint8Array, context: Uint8Array, phflag: boolean): Uint8Array {
  if (context.length > 255) throw new Error('Ed25519 context longer than 255 bytes');
  return concatBytes(DOM2_PREFIX, Uint8Array.of(phflag ? 1 : 0, context.length), context, data);
}

function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

/**
 * Ed25519ph over a digest the client computed: wolfCrypt's sign_msg_ex with type ph
 * signs the message field as PH(M) itself, so the "prehash" here is the identity.
 */
const ed25519phDigest: EdDSA = eddsa(ed25519.Point, sha512, { domain: dom2, prehash: (m: Uint8Array) => m, adjustScalarBytes: clamp });

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
/** node's JWK parser wants `x` on a private key too; node derives the public key from `d`, whatever `x` says. */
const PLACEHOLDER_X = b64(new Uint8Array(32));

const L = ed25519.Point.Fn.ORDER;

/** A signature of `message` (for ph: the 64-byte SHA-512 of the message) with the key of `seed`. */
export function signEd25519(seed: Uint8Array, message: Uint8Array, type: Ed25519TypeNumber, context: Uint8Array): Uint8Array {
  if (type === Ed25519Type.PURE) {
    const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64(seed), x: PLACEHOLDER_X }, format: 'jwk' });
    return new Uint8Array(nodeSign(null, message, key));
  }
  return (type === Ed25519Type.CTX ? ed25519ctx : ed25519phDigest).sign(message, seed, { context });
}

/** The public key of a seed. */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => ed25519.getPublicKey(seed);

function verifies(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array, type: Ed25519TypeNumber, context: Uint8Array): boolean {
  try {
    if (type === Ed25519Type.PURE) return nodeVerify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64(publicKey) }, format: 'jwk' }), signature);
    return (type === Ed25519Type.CTX ? ed25519ctx : ed25519phDigest).verify(signature, message, publicKey, { context });
  } catch {
    return false;
  }
}

/** The inputs wolfCrypt refuses with BAD_FUNC_ARG rather than SIG_VERIFY_E: S ≥ L, or a public key that is no point. */
function malformed(publicKey: Uint8Array, signature: Uint8Array): boolean {
  if (bytesToNumberLE(signature.subarray(32)) >= L) return true;
  try {
    ed25519.Point.fromBytes(publicKey, true);
    return false;
  } catch {
    return true;
  }
}

/**
 * wolfCrypt's verdict codes: 0 valid, BAD_FUNC_ARG for a signature that is not 64
 * bytes, S ≥ L or an undecodable public key, SIG_VERIFY_E for anything else that
 * does not verify. The malformed checks run only after a failed verification (the
 * verifiers reject those inputs too), so a valid signature costs one verification.
 */
export function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array, type: Ed25519TypeNumber, context: Uint8Array): number {
  if (signature.length !== ED25519_SIG_SIZE || publicKey.length !== 32) return WcError.BAD_FUNC_ARG;
  if (verifies(publicKey, signature, message, type, context)) return 0;
  return malformed(publicKey, signature) ? WcError.BAD_FUNC_ARG : WcError.SIG_VERIFY_E;
}

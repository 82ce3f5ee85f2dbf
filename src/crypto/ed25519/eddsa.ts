import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { eddsa, type EdDSA } from '@noble/curves/abstract/edwards.js';
import { ed25519, ed25519ctx } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { okpPrivateKey, okpPublicKey } from '../curve25519/okp-jwk.js';
import { KeyMemo } from '../key-memo.js';
import { WcError } from '../wolfcrypt.js';
import { ED25519_SIG_SIZE, Ed25519Type, type Ed25519TypeNumber } from './messages.js';

/**
 * RFC 8032 Ed25519, Ed25519ctx and Ed25519ph as wolfCrypt's sign_msg_ex and
 * verify_msg_ex compute them. Pure Ed25519 runs on node:crypto (about 0.1 ms with
 * JWK keys, far less once the key is in the per-thread memo). Node 20 accepts a `context` option and silently ignores it, so the
 * ctx and ph variants run on @noble/curves (about 0.65 ms per signature, 1 ms per
 * verification).
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

const L = ed25519.Point.Fn.ORDER;

/** node KeyObjects of the seeds and public keys in use (JWK import costs as much as a signature). */
const privateKeys = new KeyMemo(16, (seed) => okpPrivateKey('Ed25519', seed));
const publicKeys = new KeyMemo(16, (x) => okpPublicKey('Ed25519', x));

/** A signature of `message` (for ph: the 64-byte SHA-512 of the message) with the key of `seed`. */
export function signEd25519(seed: Uint8Array, message: Uint8Array, type: Ed25519TypeNumber, context: Uint8Array): Uint8Array {
  if (type === Ed25519Type.PURE) {
    return new Uint8Array(nodeSign(null, message, privateKeys.get(seed)));
  }
  return (type === Ed25519Type.CTX ? ed25519ctx : ed25519phDigest).sign(message, seed, { context });
}

/** The public key of a seed. */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => ed25519.getPublicKey(seed);

type EdPoint = ReturnType<typeof ed25519.Point.fromBytes>;

/** A public key as ref10 (and so wolfCrypt) decodes it: y may be non-canonical; null when it is no point. */
function decodePoint(publicKey: Uint8Array): EdPoint | null {
  try {
    return ed25519.Point.fromBytes(publicKey, true);
  } catch {
    return null;
  }
}

/** Pure Ed25519 on node (OpenSSL, like wolfCrypt, checks [S]B - [k]A against the encoded R: cofactorless). */
function nodeVerifies(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): boolean {
  try {
    return nodeVerify(null, message, publicKeys.get(publicKey), signature);
  } catch {
    return false;
  }
}

/**
 * Ed25519ctx / Ed25519ph as wolfCrypt's verify computes them (noble's verify is
 * cofactored, which accepts some crafted signatures wolfCrypt refuses):
 * k = SHA-512(dom2 ‖ R ‖ A ‖ M) mod L, then the encoding of [S]B - [k]A must be R.
 */
function cofactorlessVerifies(A: EdPoint, publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array, context: Uint8Array, phflag: boolean): boolean {
  const r = signature.subarray(0, 32);
  const k = bytesToNumberLE(sha512(dom2(concatBytes(r, publicKey, message), context, phflag))) % L;
  const check = ed25519.Point.BASE.multiplyUnsafe(bytesToNumberLE(signature.subarray(32))).subtract(A.multiplyUnsafe(k));
  return equalBytes(check.toBytes(), r);
}

/**
 * wolfCrypt's verdict codes: 0 valid, BAD_FUNC_ARG for a signature that is not 64
 * bytes, S ≥ L or a public key that is no point, SIG_VERIFY_E for anything else that
 * does not verify. Pure Ed25519 checks the malformed cases only after node said no
 * (node rejects them too), so a valid signature costs one verification.
 */
export function verifyEd25519(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array, type: Ed25519TypeNumber, context: Uint8Array): number {
  if (signature.length !== ED25519_SIG_SIZE || publicKey.length !== 32) return WcError.BAD_FUNC_ARG;
  if (type === Ed25519Type.PURE && nodeVerifies(publicKey, signature, message)) return 0;
  const A = decodePoint(publicKey);
  if (!A || bytesToNumberLE(signature.subarray(32)) >= L) return WcError.BAD_FUNC_ARG;
  if (type === Ed25519Type.PURE) return WcError.SIG_VERIFY_E;
  return cofactorlessVerifies(A, publicKey, signature, message, context, type === Ed25519Type.PH) ? 0 : WcError.SIG_VERIFY_E;
}

import { createECDH } from 'node:crypto';
import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { WcError } from '../wolfcrypt.js';
import { curveById } from './curves.js';
import { bigintToBytes, bytesToBigint } from '../der.js';
import { WcEccError } from './errors.js';
import { decodeEccKey, encodeSec1, encodeSpki, privateInRange, publicFromPrivate, publicPoint } from './key.js';
import { decodeDerSignature } from './signature.js';
import { checkKeyPair, checkPublicPoint } from './validate.js';

/** A failed job answers only its wolfCrypt (or wolfHSM) code. */
export type EccFailure = { readonly rc: number };
export type EccResult<T> = ({ readonly rc: 0 } & T) | EccFailure;

export interface EccKeyGenArgs {
  readonly curveId: number;
  /** Server DRBG bytes, field size + 8: reduced to the private scalar. */
  readonly seed: Uint8Array;
}
/** The SEC1 private key (what the cache holds, what EPHEMERAL returns) and the SPKI. */
export type EccKeyGenResult = EccResult<{ readonly der: Uint8Array; readonly spki: Uint8Array }>;

export interface EccSignArgs {
  readonly key: Uint8Array;
  readonly digest: Uint8Array;
  /** Server DRBG bytes mixed into k (RFC 6979 with extra entropy: a random k owned by the server). */
  readonly entropy: Uint8Array;
}
export type EccSignResult = EccResult<{ readonly signature: Uint8Array }>;

export interface EccVerifyArgs {
  readonly key: Uint8Array;
  readonly signature: Uint8Array;
  readonly digest: Uint8Array;
  readonly exportPublic: boolean;
}
/** `valid` is wolfCrypt's res; `spki` is empty unless asked. */
export type EccVerifyResult = EccResult<{ readonly valid: boolean; readonly spki: Uint8Array }>;

export interface EcdhArgs {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}
export type EcdhResult = EccResult<{ readonly secret: Uint8Array }>;

export interface EccMakePubArgs {
  readonly key: Uint8Array;
}
export type EccMakePubResult = EccResult<{ readonly point: Uint8Array }>;

export interface EccCheckArgs {
  readonly key: Uint8Array;
  /** The caller's X9.63 point to compare, or empty. */
  readonly point: Uint8Array;
}

/**
 * EC_KEYGEN: wolfCrypt's wc_ecc_gen_k (FIPS 186-4 B.4.1): d = (seed mod (n − 1)) + 1
 * from field size + 8 random bytes, then Q = d·G.
 */
export function eccKeyGen({ curveId, seed }: EccKeyGenArgs): EccKeyGenResult {
  const curve = curveById(curveId);
  if (!curve) return { rc: WcError.ECC_CURVE_OID_E };
  const d = (bytesToBigint(seed) % (curve.n - 1n)) + 1n;
  const q = publicFromPrivate(curve, d);
  return { rc: 0, der: encodeSec1(curve, d, q), spki: encodeSpki(curve, q) };
}

/**
 * ECDSA_SIGN over the client's digest (wc_ecc_sign_hash): a longer digest is cut to
 * the order's bit length, the signature is DER and keeps a high S (no low-S
 * normalisation). A key without a private scalar is ECC_BAD_ARG_E.
 */
export function eccSign({ key, digest, entropy }: EccSignArgs): EccSignResult {
  const k = decodeEccKey(key);
  if (!('key' in k)) return k;
  const { curve, d } = k.key;
  if (d === null) return { rc: WcError.ECC_BAD_ARG_E };
  if (!privateInRange(k.key)) return { rc: WcError.ECC_PRIV_KEY_E };
  const scalar = bigintToBytes(d, curve.size);
  try {
    return { rc: 0, signature: curve.ecdsa.sign(digest, scalar, { prehash: false, lowS: false, format: 'der', extraEntropy: entropy }) };
  } finally {
    scalar.fill(0);
  }
}

/**
 * ECDSA_VERIFY (wc_ecc_verify_hash): a malformed DER signature is ASN_ECC_KEY_E, r or s
 * zero MP_ZERO_E, not below n MP_VAL; otherwise the verdict, high S accepted. A
 * public point off the curve just fails to verify, as in wolfCrypt.
 */
export function eccVerify({ key, signature, digest, exportPublic }: EccVerifyArgs): EccVerifyResult {
  const k = decodeEccKey(key);
  if (!('key' in k)) return k;
  const pub = publicPoint(k.key);
  if (!('q' in pub)) return pub;
  const { curve } = k.key;
  const sig = decodeDerSignature(signature);
  if (!sig) return { rc: WcError.ASN_ECC_KEY_E };
  if (sig.r === 0n || sig.s === 0n) return { rc: WcEccError.MP_ZERO_E };
  if (sig.r >= curve.n || sig.s >= curve.n) return { rc: WcEccError.MP_VAL };
  const fn = curve.ecdsa.Point.Fn.BYTES;
  const compact = new Uint8Array(2 * fn);
  compact.set(bigintToBytes(sig.r, fn), 0);
  compact.set(bigintToBytes(sig.s, fn), fn);
  const valid = checkPublicPoint(curve, pub.q) === 0 && curve.ecdsa.verify(compact, digest, pub.q, { prehash: false, lowS: false, format: 'compact' });
  return { rc: 0, valid, spki: exportPublic ? encodeSpki(curve, pub.q) : new Uint8Array(0) };
}

/**
 * ECDH (wc_ecc_shared_secret): the private key must hold a scalar and both keys the
 * same curve (ECC_BAD_ARG_E otherwise); the peer point must be valid (IS_POINT_E and
 * the other point codes). The secret is the x coordinate, field-size bytes.
 */
export function eccSharedSecret({ privateKey, publicKey }: EcdhArgs): EcdhResult {
  const prv = decodeEccKey(privateKey);
  if (!('key' in prv)) return prv;
  const pubKey = decodeEccKey(publicKey);
  if (!('key' in pubKey)) return pubKey;
  const { curve, d } = prv.key;
  if (d === null || pubKey.key.curve !== curve) return { rc: WcError.ECC_BAD_ARG_E };
  if (!privateInRange(prv.key)) return { rc: WcError.ECC_PRIV_KEY_E };
  const peer = publicPoint(pubKey.key);
  if (!('q' in peer)) return peer;
  const rc = checkPublicPoint(curve, peer.q);
  if (rc !== 0) return { rc };
  const ecdh = createECDH(curve.nodeName);
  const scalar = bigintToBytes(d, curve.size);
  ecdh.setPrivateKey(scalar);
  scalar.fill(0);
  return { rc: 0, secret: new Uint8Array(ecdh.computeSecret(peer.q)) };
}

/**
 * EC_MAKE_PUB (spec-crypto 10.5): always d·G from the stored scalar, whatever point
 * the key carries; a public-only key or a scalar outside [1, n) is ECC_PRIV_KEY_E.
 */
export function eccMakePub({ key }: EccMakePubArgs): EccMakePubResult {
  const k = decodeEccKey(key);
  if (!('key' in k)) return k;
  if (!privateInRange(k.key)) return { rc: WcError.ECC_PRIV_KEY_E };
  return { rc: 0, point: publicFromPrivate(k.key.curve, k.key.d!) };
}

/**
 * EC_CHECK_PUB_KEY (spec-crypto 10.6): a private-only key gets its point derived,
 * then the full key check; a supplied point must equal the key's. A supplied
 * uncompressed point off the curve is IS_POINT_E (as the recorded server
 * answered), any other difference ECC_PRIV_KEY_E.
 */
export function eccCheckPub({ key, point }: EccCheckArgs): EccFailure {
  const k = decodeEccKey(key);
  if (!('key' in k)) return k;
  const pub = publicPoint(k.key);
  if (!('q' in pub)) return pub;
  const rc = checkKeyPair(k.key, pub.q);
  if (rc !== 0 || point.length === 0) return { rc };
  if (point.length === pub.q.length && point.every((v, i) => pub.q[i] === v)) return { rc: 0 };
  const offCurve = point.length === pub.q.length && point[0] === 0x04 && checkPublicPoint(k.key.curve, point) === WcEccError.IS_POINT_E;
  return { rc: offCurve ? WcEccError.IS_POINT_E : WcError.ECC_PRIV_KEY_E };
}

/** EXPORT_PUBLIC of an ECC key (spec-keys-crypto 9): the SPKI, the point derived for a private-only key. */
export function eccPublicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const k = decodeEccKey(key);
  if (!('key' in k)) return k;
  const pub = publicPoint(k.key);
  return 'q' in pub ? { rc: 0, publicKey: encodeSpki(k.key.curve, pub.q) } : pub;
}

/** ECC crypto jobs, by name. */
export const eccJobs: CryptoJobTable = {
  'ecc.keygen': eccKeyGen,
  'ecc.sign': eccSign,
  'ecc.verify': eccVerify,
  'ecc.sharedSecret': eccSharedSecret,
  'ecc.makePub': eccMakePub,
  'ecc.checkPub': eccCheckPub,
  'ecc.publicKey': eccPublicKey,
};

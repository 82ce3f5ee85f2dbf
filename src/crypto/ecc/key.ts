import { createECDH } from 'node:crypto';
import { WhError } from '../../errors.js';
import { WcError } from '../wolfcrypt.js';
import { curveByOid, curveBySize, type EccCurve } from './curves.js';
import { Tag, bigintToBytes, bytesToBigint, children, readTlv, tlv, type Tlv } from '../der.js';

/**
 * A stored ECC key as wolfCrypt's decoder leaves it: the curve, the private scalar
 * if any, and the public point as found (X9.63 uncompressed `04 ‖ X ‖ Y`, not yet
 * validated: wolfCrypt does not check it on import), or null when absent.
 */
export interface EccKey {
  readonly curve: EccCurve;
  readonly d: bigint | null;
  readonly q: Uint8Array | null;
}

export type EccKeyResult = { readonly rc: 0; readonly key: EccKey } | { readonly rc: number };

/** id-ecPublicKey (1.2.840.10045.2.1). */
const ID_EC_PUBLIC_KEY = Uint8Array.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => b[i] === v);
const isInt = (t: Tlv | undefined, v: number) => t?.tag === Tag.INTEGER && t.body.length === 1 && t.body[0] === v;

/** An uncompressed point of `curve` from BIT STRING content (unused-bits octet first), or null. */
function bitStringPoint(body: Uint8Array, curve: EccCurve | undefined): Uint8Array | null {
  if (body.length < 2 || body[0] !== 0 || body[1] !== 0x04) return null;
  const point = body.subarray(1);
  if (curve && point.length !== 1 + 2 * curve.size) return null;
  return point.slice();
}

/** AlgorithmIdentifier { id-ecPublicKey, namedCurve }: the curve, undefined if unknown, null if not EC. */
function ecAlgorithm(t: Tlv | undefined): EccCurve | undefined | null {
  const parts = t?.tag === Tag.SEQUENCE ? children(t.body) : null;
  if (!parts || parts.length !== 2 || parts[0]!.tag !== Tag.OID || !equal(parts[0]!.body, ID_EC_PUBLIC_KEY) || parts[1]!.tag !== Tag.OID) return null;
  return curveByOid(parts[1]!.body);
}

/**
 * SEC1 ECPrivateKey { 1, privateKey, [0] namedCurve OPTIONAL, [1] publicKey OPTIONAL }.
 * `outer` is the curve a PKCS#8 wrapper named. Without any curve, wolfCrypt picks
 * one by size (the public point's, else the scalar's).
 */
function sec1(t: Tlv | null, outer?: EccCurve): EccKey | null {
  const parts = t?.tag === Tag.SEQUENCE ? children(t.body) : null;
  if (!parts || parts.length < 2 || !isInt(parts[0], 1) || parts[1]!.tag !== Tag.OCTET_STRING) return null;
  const scalar = parts[1]!.body;
  let curve = outer;
  let pub: Tlv | undefined;
  for (const p of parts.slice(2)) {
    if (p.tag === Tag.CTX0) {
      const o = readTlv(p.body);
      const named = o?.tag === Tag.OID && o.end === p.body.length ? curveByOid(o.body) : undefined;
      if (!named || (curve && curve !== named)) return null;
      curve = named;
    } else if (p.tag === Tag.CTX1) {
      const b = readTlv(p.body);
      if (b?.tag !== Tag.BIT_STRING || b.end !== p.body.length) return null;
      pub = b;
    } else return null;
  }
  const point = pub ? bitStringPoint(pub.body, curve) : null;
  if (pub && !point) return null;
  curve ??= curveBySize(point ? (point.length - 1) / 2 : scalar.length);
  if (!curve || scalar.length === 0) return null;
  const d = bytesToBigint(scalar);
  if (d >= 1n << BigInt(8 * curve.size) || (point && point.length !== 1 + 2 * curve.size)) return null;
  return { curve, d, q: point };
}

/** PKCS#8 PrivateKeyInfo { 0|1, AlgorithmIdentifier, OCTET STRING { ECPrivateKey }, ... }. */
function pkcs8(t: Tlv | null): EccKey | null {
  const parts = t?.tag === Tag.SEQUENCE ? children(t.body) : null;
  if (!parts || parts.length < 3 || !(isInt(parts[0], 0) || isInt(parts[0], 1)) || parts[2]!.tag !== Tag.OCTET_STRING) return null;
  const curve = ecAlgorithm(parts[1]);
  if (!curve) return null;
  const inner = readTlv(parts[2]!.body);
  return inner && inner.end === parts[2]!.body.length ? sec1(inner, curve) : null;
}

/** SubjectPublicKeyInfo { AlgorithmIdentifier, BIT STRING point }. */
function spki(t: Tlv | null): EccKeyResult {
  const parts = t?.tag === Tag.SEQUENCE ? children(t.body) : null;
  if (!parts || parts.length !== 2 || parts[1]!.tag !== Tag.BIT_STRING) return { rc: WcError.ASN_PARSE_E };
  const curve = ecAlgorithm(parts[0]);
  if (curve === null) return { rc: WcError.ASN_PARSE_E };
  if (curve === undefined) return { rc: WcError.ECC_CURVE_OID_E };
  const q = bitStringPoint(parts[1]!.body, curve);
  return q ? { rc: 0, key: { curve, d: null, q } } : { rc: WcError.ASN_PARSE_E };
}

/**
 * wolfHSM's ECC key decoder (wh_Crypto_EccDeserializeKeyDer): a private key (SEC1,
 * or PKCS#8 around SEC1; the public part optional) first, else an SPKI public key.
 * The failure is the public decoder's (ASN_PARSE_E for bytes that are neither).
 * Trailing bytes after the key are ignored, as wolfCrypt reads one object.
 */
export function decodeEccKey(der: Uint8Array): EccKeyResult {
  if (der.length === 0) return { rc: WhError.BADARGS };
  const outer = readTlv(der);
  const priv = sec1(outer) ?? pkcs8(outer);
  return priv ? { rc: 0, key: priv } : spki(outer);
}

/** The affine coordinates of an uncompressed point of `curve`'s size. */
export function coordinates(curve: EccCurve, q: Uint8Array): { x: bigint; y: bigint } {
  return { x: bytesToBigint(q.subarray(1, 1 + curve.size)), y: bytesToBigint(q.subarray(1 + curve.size)) };
}

/** d·G as an uncompressed point, by OpenSSL (node:crypto); the caller checks 1 ≤ d < n. */
export function publicFromPrivate(curve: EccCurve, d: bigint): Uint8Array {
  const ecdh = createECDH(curve.nodeName);
  const scalar = bigintToBytes(d, curve.size);
  ecdh.setPrivateKey(scalar);
  scalar.fill(0);
  return new Uint8Array(ecdh.getPublicKey());
}

export const privateInRange = (key: EccKey): boolean => key.d !== null && key.d >= 1n && key.d < key.curve.n;

/**
 * The key's public point: the stored one, or d·G for a private-only key (wolfHSM
 * derives it for EXPORT_PUBLIC and CHECK_PUB; this server does so wherever a point
 * is needed). A scalar outside [1, n) cannot: ECC_PRIV_KEY_E.
 */
export function publicPoint(key: EccKey): { rc: 0; q: Uint8Array } | { rc: number } {
  if (key.q) return { rc: 0, q: key.q };
  if (!privateInRange(key)) return { rc: WcError.ECC_PRIV_KEY_E };
  return { rc: 0, q: publicFromPrivate(key.curve, key.d!) };
}

/** The curve OID element. */
const curveOid = (curve: EccCurve) => tlv(Tag.OID, curve.oid);
const pointBits = (q: Uint8Array) => tlv(Tag.BIT_STRING, Uint8Array.of(0), q);

/** SubjectPublicKeyInfo with the named curve (wc_EccPublicKeyToDer with the curve): 91 bytes on P-256. */
export function encodeSpki(curve: EccCurve, q: Uint8Array): Uint8Array {
  return tlv(Tag.SEQUENCE, tlv(Tag.SEQUENCE, tlv(Tag.OID, ID_EC_PUBLIC_KEY), curveOid(curve)), pointBits(q));
}

/**
 * SEC1 ECPrivateKey with parameters and public key (wc_EccKeyToDer): the scalar
 * padded to the field size, so 121/167/223 bytes on P-256/384/521.
 */
export function encodeSec1(curve: EccCurve, d: bigint, q: Uint8Array): Uint8Array {
  return tlv(
    Tag.SEQUENCE,
    tlv(Tag.INTEGER, Uint8Array.of(1)),
    tlv(Tag.OCTET_STRING, bigintToBytes(d, curve.size)),
    tlv(Tag.CTX0, curveOid(curve)),
    tlv(Tag.CTX1, pointBits(q)),
  );
}

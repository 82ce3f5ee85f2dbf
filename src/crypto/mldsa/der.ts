import { children, readTlv, tlv, type Tlv } from '../der.js';
import { MLDSA_PARAMS, type MlDsaLevelNumber, type MlDsaParams } from './params.js';

/**
 * The ML-DSA key codec: what the cache stores and EXPORT_PUBLIC returns. One object
 * behind an interface so a client whose wolfSSL writes another private-key form
 * (spec-crypto 13, 18.2) changes this file only.
 */
export interface MlDsaKeyParts {
  readonly level: MlDsaLevelNumber;
  /** FIPS 204 expanded secret key (absent for a public key). */
  readonly secretKey?: Uint8Array;
  /** FIPS 204 32-byte seed ξ, when the private key was stored in seed form. */
  readonly seed?: Uint8Array;
  readonly publicKey?: Uint8Array;
}

export interface MlDsaKeyCodec {
  /** Private key with its public key: the EPHEMERAL keygen answer and the cached form. */
  encodeKeyPair(level: MlDsaLevelNumber, secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** SubjectPublicKeyInfo. */
  encodePublic(level: MlDsaLevelNumber, publicKey: Uint8Array): Uint8Array;
  /** A private key (any form) else a public key, as wolfHSM's deserializer tries them; null if neither. */
  decode(der: Uint8Array): MlDsaKeyParts | null;
}

// ---- minimal DER (readTlv, children, tlv from ../der.ts) ----

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};


const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The level named by an AlgorithmIdentifier SEQUENCE { OID } (no parameters). */
function levelOf(algId: Tlv | undefined): MlDsaParams | null {
  if (!algId || algId.tag !== 0x30) return null;
  const parts = children(algId.body);
  if (!parts || parts.length !== 1) return null;
  const oid = algId.body.subarray(0, parts[0]!.end);
  return Object.values(MLDSA_PARAMS).find((p) => equal(p.oid, oid)) ?? null;
}

// ---- wolfSSL 5.8.4 forms (spec-crypto 13) ----

function decodePrivate(der: Uint8Array): MlDsaKeyParts | null {
  const top = readTlv(der, 0);
  if (!top || top.tag !== 0x30 || top.end !== der.length) return null;
  const f = children(top.body);
  if (!f || f.length < 3 || f[0]!.tag !== 0x02 || f[0]!.body.length !== 1 || f[0]!.body[0]! > 1) return null;
  const p = levelOf(f[1]);
  if (!p || f[2]!.tag !== 0x04) return null;
  const priv = privateKeyChoice(f[2]!.body, p);
  if (!priv) return null;
  // [1] publicKey: wolfSSL writes the raw key; RFC 5958 a BIT STRING body (a leading 0).
  const pubField = f.slice(3).find((t) => t.tag === 0x81 || t.tag === 0xa1);
  let publicKey: Uint8Array | undefined;
  if (pubField) {
    const b = pubField.body;
    if (b.length === p.publicKey) publicKey = b.slice();
    else if (b.length === p.publicKey + 1 && b[0] === 0) publicKey = b.slice(1);
    else return null;
  }
  return { level: p.level, ...priv, ...(publicKey ? { publicKey } : {}) };
}

/**
 * The privateKey OCTET STRING's content: wolfSSL 5.8.4 nests the expanded key in an
 * OCTET STRING (the LAMPS "expandedKey" choice); the LAMPS seed `[0]` and "both"
 * SEQUENCE forms are read too, so keys from a newer wolfSSL import.
 */
function privateKeyChoice(body: Uint8Array, p: MlDsaParams): { secretKey?: Uint8Array; seed?: Uint8Array } | null {
  const t = readTlv(body, 0);
  if (!t || t.end !== body.length) return null;
  if (t.tag === 0x04 && t.body.length === p.secretKey) return { secretKey: t.body.slice() };
  if (t.tag === 0x80 && t.body.length === 32) return { seed: t.body.slice() };
  if (t.tag === 0x30) {
    const both = children(t.body);
    if (!both || both.length !== 2 || both[0]!.tag !== 0x04 || both[0]!.body.length !== 32) return null;
    if (both[1]!.tag !== 0x04 || both[1]!.body.length !== p.secretKey) return null;
    return { seed: both[0]!.body.slice(), secretKey: both[1]!.body.slice() };
  }
  return null;
}

function decodePublic(der: Uint8Array): MlDsaKeyParts | null {
  const top = readTlv(der, 0);
  if (!top || top.tag !== 0x30 || top.end !== der.length) return null;
  const f = children(top.body);
  if (!f || f.length !== 2) return null;
  const p = levelOf(f[0]);
  const bits = f[1]!;
  if (!p || bits.tag !== 0x03 || bits.body.length !== p.publicKey + 1 || bits.body[0] !== 0) return null;
  return { level: p.level, publicKey: bits.body.slice(1) };
}

/** The encoding wolfSSL 5.8.4 writes and reads (sizes printed by the harness: 3904 and 1334 bytes for ML-DSA-44). */
export const WOLFSSL_MLDSA_CODEC: MlDsaKeyCodec = {
  encodeKeyPair(level, secretKey, publicKey) {
    const p = MLDSA_PARAMS[level];
    return tlv(0x30, cat(Uint8Array.of(0x02, 0x01, 0x00), tlv(0x30, p.oid), tlv(0x04, tlv(0x04, secretKey)), tlv(0x81, publicKey)));
  },
  encodePublic(level, publicKey) {
    const p = MLDSA_PARAMS[level];
    return tlv(0x30, cat(tlv(0x30, p.oid), tlv(0x03, cat(Uint8Array.of(0), publicKey))));
  },
  decode: (der) => decodePrivate(der) ?? decodePublic(der),
};

/** The codec the ML-DSA jobs use. */
export const MLDSA_KEY_CODEC: MlDsaKeyCodec = WOLFSSL_MLDSA_CODEC;

/**
 * The DER shapes wolfCrypt gives X25519 and Ed25519 keys (RFC 8410 structure,
 * spec-crypto 11.1, 12.1, 16). Private: SEQUENCE { INTEGER 0, AlgorithmIdentifier
 * { OID }, OCTET STRING { OCTET STRING key(32) }, [1] public(32) }, 82 bytes; the
 * `[1]` field is written raw (no BIT STRING unused-bits octet). Public: the 44-byte
 * SubjectPublicKeyInfo. The 32-byte values are carried as they appear in the DER:
 * X25519 callers reverse them (wolfCrypt stores X25519 values big-endian).
 */

/** Last byte of the algorithm OID 1.3.101.x: 110 X25519, 112 Ed25519. */
export const OkpOid = { X25519: 0x6e, ED25519: 0x70 } as const;
export type OkpOidByte = (typeof OkpOid)[keyof typeof OkpOid];

export const OKP_KEY_SIZE = 32;
export const OKP_PRIVATE_DER_SIZE = 82;
export const OKP_SPKI_SIZE = 44;

/** The fields a decoded key has: a private key (with or without its public half) or a public key alone. */
export interface OkpKey {
  readonly privateKey?: Uint8Array;
  readonly publicKey?: Uint8Array;
}

const algorithm = (oid: OkpOidByte) => [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, oid];

/** wolfCrypt's private key DER: version 0, the key, and the public half as `[1]`. */
export function encodeOkpPrivate(oid: OkpOidByte, privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(OKP_PRIVATE_DER_SIZE);
  out.set([0x30, 0x50, 0x02, 0x01, 0x00, ...algorithm(oid), 0x04, 0x22, 0x04, 0x20]);
  out.set(privateKey.subarray(0, OKP_KEY_SIZE), 16);
  out.set([0x81, 0x20], 48);
  out.set(publicKey.subarray(0, OKP_KEY_SIZE), 50);
  return out;
}

/** The SubjectPublicKeyInfo of a public key. */
export function encodeOkpPublic(oid: OkpOidByte, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(OKP_SPKI_SIZE);
  out.set([0x30, 0x2a, ...algorithm(oid), 0x03, 0x21, 0x00]);
  out.set(publicKey.subarray(0, OKP_KEY_SIZE), 12);
  return out;
}

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** One DER element at `at` inside [.., limit): short or long (≤ 2 length octets) form; null when it does not fit. */
function tlv(der: Uint8Array, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2 || start + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | der[start + i]!;
    start += n;
  }
  return start + len <= limit ? { tag, start, end: start + len } : null;
}

function isAlgorithm(der: Uint8Array, t: Tlv, oid: OkpOidByte): boolean {
  const want = algorithm(oid).slice(2);
  return t.tag === 0x30 && t.end - t.start === want.length && want.every((b, i) => der[t.start + i] === b);
}

/** The private form: version 0 or 1, the key, optional attributes `[0]`, optional public `[1]` (raw, or with an unused-bits octet). */
function decodePrivate(der: Uint8Array, seq: Tlv, oid: OkpOidByte): OkpKey | null {
  const version = tlv(der, seq.start, seq.end);
  if (!version || version.tag !== 0x02 || version.end - version.start !== 1 || der[version.start]! > 1) return null;
  const alg = tlv(der, version.end, seq.end);
  if (!alg || !isAlgorithm(der, alg, oid)) return null;
  const outer = tlv(der, alg.end, seq.end);
  if (!outer || outer.tag !== 0x04) return null;
  const inner = tlv(der, outer.start, outer.end);
  if (!inner || inner.tag !== 0x04 || inner.end !== outer.end || inner.end - inner.start !== OKP_KEY_SIZE) return null;
  const privateKey = der.slice(inner.start, inner.end);
  let at = outer.end;
  let next = at < seq.end ? tlv(der, at, seq.end) : null;
  if (next?.tag === 0xa0) {
    at = next.end;
    next = at < seq.end ? tlv(der, at, seq.end) : null;
  }
  if (!next) return at === seq.end ? { privateKey } : null;
  if (next.tag !== 0x81 || next.end !== seq.end) return null;
  const len = next.end - next.start;
  if (len === OKP_KEY_SIZE) return { privateKey, publicKey: der.slice(next.start, next.end) };
  if (len === OKP_KEY_SIZE + 1 && der[next.start] === 0) return { privateKey, publicKey: der.slice(next.start + 1, next.end) };
  return null;
}

function decodePublic(der: Uint8Array, seq: Tlv, oid: OkpOidByte): OkpKey | null {
  const alg = tlv(der, seq.start, seq.end);
  if (!alg || !isAlgorithm(der, alg, oid)) return null;
  const bits = tlv(der, alg.end, seq.end);
  if (!bits || bits.tag !== 0x03 || bits.end !== seq.end || bits.end - bits.start !== OKP_KEY_SIZE + 1 || der[bits.start] !== 0) return null;
  return { publicKey: der.slice(bits.start + 1, bits.end) };
}

/**
 * A stored key as wolfCrypt's decoders read it: the private form first, then the
 * public one (bytes after the outer SEQUENCE are ignored). Null when neither fits.
 */
export function decodeOkp(oid: OkpOidByte, der: Uint8Array): OkpKey | null {
  const seq = tlv(der, 0, der.length);
  if (!seq || seq.tag !== 0x30) return null;
  return decodePrivate(der, seq, oid) ?? decodePublic(der, seq, oid);
}

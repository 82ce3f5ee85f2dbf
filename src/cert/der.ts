/**
 * The little DER reading the CERT group needs on raw bytes: where one TLV ends
 * (chains are plain concatenations of certificates), and the exact encoded bytes of
 * a certificate's names and public key (compared and cached byte for byte, never
 * re-encoded).
 */

export const DerTag = { SEQUENCE: 0x30, BIT_STRING: 0x03, CONTEXT_0: 0xa0 } as const;

/** One TLV: its tag, where its contents start and where it ends (exclusive). */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** The TLV at `offset`, or null when its header or length runs past `limit` (low-tag-number form only). */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | null {
  if (offset + 2 > limit) return null;
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) return null;
  let pos = offset + 1;
  const first = bytes[pos++]!;
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || pos + n > limit) return null; // indefinite or absurd lengths are not DER
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[pos++]!;
  }
  const end = pos + len;
  if (end > limit) return null;
  return { tag, start: offset, contentStart: pos, end };
}

/** The TLVs directly inside a constructed TLV, in order; null if one of them is malformed. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const t = readTlv(bytes, pos, parent.end);
    if (!t) return null;
    out.push(t);
    pos = t.end;
  }
  return out;
}

/**
 * Splits a chain into its certificates by each outer SEQUENCE's length. Null when an
 * element is not a SEQUENCE or runs past the end: the walk fails there (spec 1.3).
 */
export function splitChain(chain: Uint8Array): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < chain.length) {
    const t = readTlv(chain, pos);
    if (!t || t.tag !== DerTag.SEQUENCE) return null;
    out.push(chain.subarray(t.start, t.end));
    pos = t.end;
  }
  return out;
}

/** The raw pieces of an X.509 certificate that are compared or copied as bytes. */
export interface CertificateParts {
  /** The signed part (tbsCertificate), header included. */
  readonly tbs: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** SubjectPublicKeyInfo, header included: what a cached leaf key holds. */
  readonly spki: Uint8Array;
}

const slice = (b: Uint8Array, t: Tlv) => b.subarray(t.start, t.end);

/**
 * Locates tbsCertificate and, inside it, issuer, subject and SubjectPublicKeyInfo by
 * their positions (RFC 5280 4.1: optional [0] version, serial, signature algorithm,
 * issuer, validity, subject, SPKI). Null when the outline is not a certificate's.
 */
export function certificateParts(der: Uint8Array): CertificateParts | null {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== DerTag.SEQUENCE || outer.end !== der.length) return null;
  const top = children(der, outer);
  if (!top || top.length !== 3 || top[0]!.tag !== DerTag.SEQUENCE) return null;
  const tbs = top[0]!;
  const fields = children(der, tbs);
  if (!fields) return null;
  const f = fields[0]?.tag === DerTag.CONTEXT_0 ? fields.slice(1) : fields;
  if (f.length < 6) return null;
  const [, , issuer, , subject, spki] = f as [Tlv, Tlv, Tlv, Tlv, Tlv, Tlv];
  if (issuer.tag !== DerTag.SEQUENCE || subject.tag !== DerTag.SEQUENCE || spki.tag !== DerTag.SEQUENCE) return null;
  return { tbs: slice(der, tbs), issuer: slice(der, issuer), subject: slice(der, subject), spki: slice(der, spki) };
}

/** A signed object's three top-level parts (certificate, attribute certificate): signed bytes, algorithm, signature. */
export interface SignedParts {
  readonly signed: Uint8Array;
  readonly algorithm: Uint8Array;
  /** The BIT STRING's contents without the unused-bits byte. */
  readonly signature: Uint8Array;
}

export function signedParts(der: Uint8Array): SignedParts | null {
  const outer = readTlv(der, 0);
  if (!outer || outer.tag !== DerTag.SEQUENCE || outer.end !== der.length) return null;
  const top = children(der, outer);
  if (!top || top.length !== 3) return null;
  const [signed, algorithm, sig] = top as [Tlv, Tlv, Tlv];
  if (signed.tag !== DerTag.SEQUENCE || algorithm.tag !== DerTag.SEQUENCE || sig.tag !== DerTag.BIT_STRING) return null;
  if (sig.end - sig.contentStart < 1 || der[sig.contentStart] !== 0) return null;
  return { signed: slice(der, signed), algorithm: slice(der, algorithm), signature: der.subarray(sig.contentStart + 1, sig.end) };
}

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * The few DER pieces the public-key formats need (ECC keys and signatures, ML-DSA
 * keys): read one TLV (definite lengths only), split a constructed body into its
 * TLVs, and encode.
 */

export const Tag = { INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, OID: 0x06, SEQUENCE: 0x30, CTX0: 0xa0, CTX1: 0xa1 } as const;

/** One element: its tag, its content octets, and where the element ends in the input. */
export interface Tlv {
  readonly tag: number;
  readonly body: Uint8Array;
  readonly end: number;
}

/** The element starting at `at`, or null when the bytes there are not a whole DER element. */
export function readTlv(buf: Uint8Array, at = 0): Tlv | null {
  if (at + 2 > buf.length) return null;
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let pos = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || pos + n > buf.length) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  if (pos + len > buf.length) return null;
  return { tag, body: buf.subarray(pos, pos + len), end: pos + len };
}

/** All elements of a constructed body, which they must fill exactly; null otherwise. */
export function children(body: Uint8Array): Tlv[] | null {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length; ) {
    const t = readTlv(body, at);
    if (!t) return null;
    out.push(t);
    at = t.end;
  }
  return out;
}

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One element with the given content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const size = content.reduce((n, c) => n + c.length, 0);
  const head = [tag, ...lengthOctets(size)];
  const out = new Uint8Array(head.length + size);
  out.set(head, 0);
  content.reduce((at, c) => (out.set(c, at), at + c.length), head.length);
  return out;
}

export const bytesToBigint = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`));

/** `v` as exactly `size` big-endian bytes (the caller guarantees v < 256^size). */
export function bigintToBytes(v: bigint, size: number): Uint8Array {
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(size * 2, '0'), 'hex'));
}

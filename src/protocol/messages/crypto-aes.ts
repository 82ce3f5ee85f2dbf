import { structWithTail } from '../struct.js';

/**
 * CRYPTO CIPHER (action 2) messages, spec-crypto 4. Payload offsets: bytes 0..11
 * are the generic header (crypto-header.ts), the algorithm struct starts at 12.
 * Every request carries its variable parts after the fixed struct, in the order
 * the parts functions below give; its size must be exactly what the fields imply.
 */

/** AES-ECB (algoType 13) and AES-CBC (algoType 2) request: input, inline key, (CBC) IV. */
export const AesBlockRequest = structWithTail('CRYPTO AES-ECB/CBC request', 28, {
  enc: [12, 'u32'],
  keyLen: [16, 'u32'],
  sz: [20, 'u32'],
  keyId: [24, 'u16'],
});
/** AES-ECB/CBC response: sz, 12 pad bytes, then the output (and, for CBC, the next IV). */
export const AesBlockResponse = structWithTail('CRYPTO AES-ECB/CBC response', 28, { sz: [12, 'u32'] });

/** AES-CTR (algoType 4) request: input, inline key, counter block `reg`, keystream block `tmp`. */
export const AesCtrRequest = structWithTail('CRYPTO AES-CTR request', 32, {
  enc: [12, 'u32'],
  keyLen: [16, 'u32'],
  sz: [20, 'u32'],
  left: [24, 'u32'],
  keyId: [28, 'u16'],
});
/** AES-CTR response: sz, left, 12 pad bytes, then output, reg, tmp. */
export const AesCtrResponse = structWithTail('CRYPTO AES-CTR response', 32, { sz: [12, 'u32'], left: [16, 'u32'] });

/** AES-GCM (algoType 3) request: input, inline key, IV, AAD, and (decrypt only) the tag. */
export const AesGcmRequest = structWithTail('CRYPTO AES-GCM request', 40, {
  enc: [12, 'u32'],
  keyLen: [16, 'u32'],
  sz: [20, 'u32'],
  ivSz: [24, 'u32'],
  authInSz: [28, 'u32'],
  authTagSz: [32, 'u32'],
  keyId: [36, 'u16'],
});
/** AES-GCM response: sz, authTagSz (0 on decrypt), 20 pad bytes, output, then (encrypt only) the tag. */
export const AesGcmResponse = structWithTail('CRYPTO AES-GCM response', 40, { sz: [12, 'u32'], authTagSz: [16, 'u32'] });

export const AES_IV_SIZE = 16;

/** Cuts `tail` into consecutive parts of the given sizes; null unless they cover it exactly. */
export function splitExact(tail: Uint8Array, sizes: readonly number[]): Uint8Array[] | null {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== tail.length) return null;
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const n of sizes) {
    parts.push(tail.subarray(off, off + n));
    off += n;
  }
  return parts;
}

export const concatBytes = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
};

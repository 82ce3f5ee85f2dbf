import { bytes, struct, structWithTail } from '../struct.js';

/**
 * CRYPTO HASH (action 1) messages, spec-crypto 5 and 6. Each codec covers the whole
 * payload: the generic header at 0..11 (spec-crypto 2.2/2.3; the server's framework
 * writes the response header), the algorithm struct from offset 12, the input after it.
 * SHA-2 `hash` is raw memory of the server's word array (never byte-swapped); the
 * SHA-3 lanes `s` are u64 values translated per the magic: see `sha3LanesCanonical`.
 */

const requestHeader = { algoType: [0, 'u32'], algoSubType: [4, 'u32'], affinity: [8, 'u32'] } as const;
const responseHeader = { algoType: [0, 'u32'], rc: [4, 'i32'], reserved: [8, 'u32'] } as const;

/** SHA-224 (algoType 5) and SHA-256 (6): state, then `inSz` bytes of input at 60. */
export const Sha256Request = structWithTail('CRYPTO SHA-256 request', 60, {
  ...requestHeader,
  hiLen: [12, 'u32'],
  loLen: [16, 'u32'],
  hash: [20, bytes(32)],
  isLastBlock: [52, 'u32'],
  inSz: [56, 'u32'],
});

/** SHA-384 (7) and SHA-512 (8, with hashType 16/17 for SHA-512/224, /256): input at 96. */
export const Sha512Request = structWithTail('CRYPTO SHA-512 request', 96, {
  ...requestHeader,
  hiLen: [12, 'u32'],
  loLen: [16, 'u32'],
  hash: [20, bytes(64)],
  hashType: [84, 'u32'],
  isLastBlock: [88, 'u32'],
  inSz: [92, 'u32'],
});

/** Every SHA-2 answer: the new state (first 32 or 64 bytes of `hash`) or the digest with zero lengths. */
export const Sha2Response = struct('CRYPTO SHA-2 response', 88, {
  ...responseHeader,
  hiLen: [12, 'u32'],
  loLen: [16, 'u32'],
  hash: [20, bytes(64)],
  hashType: [84, 'u32'],
});

/** SHA3-224..512 (algoType 10..13): 25 lanes, then `inSz` bytes of input at 220. */
export const Sha3Request = structWithTail('CRYPTO SHA-3 request', 220, {
  ...requestHeader,
  isLastBlock: [12, 'u32'],
  inSz: [16, 'u32'],
  s: [20, bytes(200)],
});

/** Every SHA-3 answer: the new lanes (zero after a final) and the digest (zero before). */
export const Sha3Response = struct('CRYPTO SHA-3 response', 276, {
  ...responseHeader,
  s: [12, bytes(200)],
  hash: [212, bytes(64)],
});

/**
 * The 25 u64 lanes between wire order and the canonical little-endian lane bytes
 * (the same swap both ways): identity for a little-endian peer, a byte swap of each
 * 8-byte lane for a big-endian one.
 */
export function sha3LanesCanonical(lanes: Uint8Array, littleEndian: boolean): Uint8Array {
  const out = lanes.slice();
  if (!littleEndian) for (let i = 0; i < out.length; i += 8) out.subarray(i, i + 8).reverse();
  return out;
}

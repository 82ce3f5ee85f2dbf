import { SHA256_BLOCK, sha256Block } from './sha256-block.js';
import { SHA512_BLOCK, sha512Block } from './sha512-block.js';

/**
 * One wolfHSM SHA-2 request, computed as wolfCrypt does after restoring the
 * client's state into a fresh context (spec-crypto 5): absorb whole blocks and
 * return the new state, or pad the last partial block and return the digest.
 */

/** The compression function: 'sha256' for SHA-224/256, 'sha512' for SHA-384/512 and the /224, /256 truncations. */
export type Sha2Core = 'sha256' | 'sha512';

/**
 * A client-held mid-state as it travels: `hash` is wolfCrypt's word array in
 * little-endian memory order (32 or 64 bytes); `loLen`/`hiLen` the byte count so far.
 */
export interface Sha2MidState {
  readonly hash: Uint8Array;
  readonly loLen: number;
  readonly hiLen: number;
}

export interface Sha2StepArgs {
  readonly core: Sha2Core;
  readonly state: Sha2MidState;
  readonly input: Uint8Array;
  /** Pad and finish (input shorter than a block), or absorb (input a multiple of the block). */
  readonly final: boolean;
  /** Digest bytes to return on `final` (28, 32, 48 or 64). */
  readonly digestSize: number;
}

/** The new mid-state after a non-final step, or the digest after a final one. */
export type Sha2StepResult = { readonly state: Sha2MidState } | { readonly digest: Uint8Array };

const TWO32 = 0x1_0000_0000;

export const sha2BlockSize = (core: Sha2Core): number => (core === 'sha256' ? SHA256_BLOCK : SHA512_BLOCK);

/** Native (little-endian) memory bytes ↔ the compression function's word arrays. */
function loadWords(core: Sha2Core, hash: Uint8Array): Uint32Array {
  const view = new DataView(hash.buffer, hash.byteOffset, hash.byteLength);
  if (core === 'sha256') return Uint32Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4, true));
  // 64-bit word i: high half at [2i], low half at [2i+1].
  return Uint32Array.from({ length: 16 }, (_, j) => view.getUint32((j >> 1) * 8 + (j & 1 ? 0 : 4), true));
}

function storeWords(core: Sha2Core, h: Uint32Array, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(h.length * 4);
  const view = new DataView(out.buffer);
  if (core === 'sha256' || bigEndian) {
    // Big-endian digest order is the words in order; for SHA-256 memory order is word by word too.
    h.forEach((w, i) => view.setUint32(i * 4, w, !bigEndian));
    return out;
  }
  for (let i = 0; i < 8; i++) {
    view.setUint32(i * 8, h[2 * i + 1]!, true);
    view.setUint32(i * 8 + 4, h[2 * i]!, true);
  }
  return out;
}

export function sha2Step({ core, state, input, final, digestSize }: Sha2StepArgs): Sha2StepResult {
  const block = sha2BlockSize(core);
  const compress = core === 'sha256' ? sha256Block : sha512Block;
  const h = loadWords(core, state.hash);
  if (!final) {
    if (input.length % block !== 0) throw new RangeError(`non-final SHA-2 input of ${input.length} bytes is not whole blocks`);
    for (let off = 0; off < input.length; off += block) compress(h, input, off);
    return { state: { hash: storeWords(core, h, false), ...addLength(core, state, input.length) } };
  }
  if (input.length >= block) throw new RangeError(`final SHA-2 input of ${input.length} bytes is not shorter than a block`);
  // Padding (FIPS 180-4 5.1): 0x80, zeros, then the message length in bits, big-endian,
  // in 64 bits (SHA-256) or 128 bits (SHA-512); one or two blocks.
  const lengthBytes = core === 'sha256' ? 8 : 16;
  const blocks = input.length + 1 + lengthBytes > block ? 2 : 1;
  const tail = new Uint8Array(blocks * block);
  tail.set(input);
  tail[input.length] = 0x80;
  const view = new DataView(tail.buffer);
  const bits = totalBits(core, state, input.length);
  view.setBigUint64(tail.length - 8, BigInt.asUintN(64, bits), false);
  if (core === 'sha512') view.setBigUint64(tail.length - 16, BigInt.asUintN(64, bits >> 64n), false);
  for (let off = 0; off < tail.length; off += block) compress(h, tail, off);
  return { digest: storeWords(core, h, true).slice(0, digestSize) };
}

/**
 * wolfCrypt's length counters after absorbing `n` bytes, cut to the 32-bit wire
 * fields: SHA-256 keeps 32-bit lo/hi with a carry; SHA-512 keeps 64-bit ones, so
 * its low word never carries into hiLen and the wire keeps its low 32 bits.
 */
function addLength(core: Sha2Core, state: Sha2MidState, n: number): { loLen: number; hiLen: number } {
  if (core === 'sha512') return { loLen: (state.loLen + n) % TWO32, hiLen: state.hiLen };
  const total = state.hiLen * TWO32 + state.loLen + n;
  return { loLen: total % TWO32, hiLen: Math.floor(total / TWO32) % TWO32 };
}

/** The message length in bits as the final block carries it (wolfCrypt's counters shifted by 3). */
function totalBits(core: Sha2Core, state: Sha2MidState, n: number): bigint {
  const hiShift = core === 'sha256' ? 32n : 64n;
  const bytes = (BigInt(state.hiLen) << hiShift) + BigInt(state.loLen) + BigInt(n);
  return BigInt.asUintN(core === 'sha256' ? 64 : 128, bytes * 8n);
}

import { keccakF1600 } from './keccak-f1600.js';

/**
 * One wolfHSM SHA-3 request (spec-crypto 6), as wolfCrypt computes it after
 * restoring the client's Keccak lanes with an empty buffer: absorb whole rate
 * blocks, or pad (SHA-3 domain 0x06 … 0x80), permute and squeeze the digest.
 */

export const SHA3_STATE_SIZE = 200;

export interface Sha3StepArgs {
  /** Rate in bytes: 144, 136, 104 or 72. */
  readonly rate: number;
  /** The 25 lanes as little-endian u64 (the standard byte-oriented Keccak state). */
  readonly state: Uint8Array;
  readonly input: Uint8Array;
  readonly final: boolean;
  /** Digest bytes on `final`: 28, 32, 48 or 64. */
  readonly digestSize: number;
}

/** The new lanes after a non-final step; after a final one the digest and all-zero lanes (wolfCrypt re-initialises). */
export interface Sha3StepResult {
  readonly state: Uint8Array;
  readonly digest: Uint8Array;
}

function absorb(s: Uint32Array, data: Uint8Array, rate: number): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let off = 0; off < data.length; off += rate) {
    for (let j = 0; j < rate / 4; j++) s[j] = s[j]! ^ view.getUint32(off + 4 * j, true);
    keccakF1600(s);
  }
}

function toBytes(s: Uint32Array): Uint8Array {
  const out = new Uint8Array(SHA3_STATE_SIZE);
  const view = new DataView(out.buffer);
  s.forEach((w, j) => view.setUint32(4 * j, w, true));
  return out;
}

export function sha3Step({ rate, state, input, final, digestSize }: Sha3StepArgs): Sha3StepResult {
  if (state.length !== SHA3_STATE_SIZE) throw new RangeError(`SHA-3 state of ${state.length} bytes`);
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  const s = Uint32Array.from({ length: 50 }, (_, j) => view.getUint32(4 * j, true));
  if (!final) {
    if (input.length % rate !== 0) throw new RangeError(`non-final SHA-3 input of ${input.length} bytes is not whole blocks`);
    absorb(s, input, rate);
    return { state: toBytes(s), digest: new Uint8Array(0) };
  }
  if (input.length >= rate) throw new RangeError(`final SHA-3 input of ${input.length} bytes is not shorter than the rate`);
  const last = new Uint8Array(rate);
  last.set(input);
  last[input.length] = 0x06;
  last[rate - 1] = last[rate - 1]! | 0x80;
  absorb(s, last, rate);
  return { state: new Uint8Array(SHA3_STATE_SIZE), digest: toBytes(s).slice(0, digestSize) };
}

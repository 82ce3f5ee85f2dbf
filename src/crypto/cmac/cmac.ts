import { WcError } from '../wolfcrypt.js';
import { createCipheriv } from 'node:crypto';
import { AES_BLOCK, AesBlockCipher, aesCipherName, own, xorInto } from '../aes/block.js';

const ZERO_IV = new Uint8Array(AES_BLOCK);

/** wolfCrypt's Cmac running state, exactly the fields that travel in the messages (spec-crypto 7). */
export interface CmacState {
  readonly buffer: Uint8Array;
  readonly digest: Uint8Array;
  readonly bufferSz: number;
  readonly totalSz: number;
}

/** WC_CMAC_TAG_MIN_SZ / WC_CMAC_TAG_MAX_SZ. */
export const CMAC_MIN_TAG = 4;
export const CMAC_MAX_TAG = 16;

export function emptyCmacState(): CmacState {
  return { buffer: new Uint8Array(AES_BLOCK), digest: new Uint8Array(AES_BLOCK), bufferSz: 0, totalSz: 0 };
}

/** Doubling in GF(2^128) (RFC 4493 2.3). */
function dbl(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) out[i] = ((block[i]! << 1) | (i + 1 < AES_BLOCK ? block[i + 1]! >> 7 : 0)) & 0xff;
  if (block[0]! & 0x80) out[AES_BLOCK - 1]! ^= 0x87;
  return out;
}

/** A CMAC computation under one key (wc_InitCmac): the AES schedule and the subkeys K1, K2. */
export class AesCmac {
  private readonly aes: AesBlockCipher;
  private readonly k1: Uint8Array;
  private readonly k2: Uint8Array;
  private readonly buffer: Uint8Array;
  private readonly digest: Uint8Array;
  private bufferSz: number;
  private totalSz: number;

  /** Starts from `state` (restored as wolfHSM's server does: bufferSz must be 0..16, checked by the caller). */
  constructor(
    private readonly key: Uint8Array,
    state: CmacState = emptyCmacState(),
  ) {
    this.aes = new AesBlockCipher(key);
    this.k1 = dbl(this.encrypt(new Uint8Array(AES_BLOCK)));
    this.k2 = dbl(this.k1);
    this.buffer = own(state.buffer);
    this.digest = own(state.digest);
    this.bufferSz = state.bufferSz;
    this.totalSz = state.totalSz >>> 0;
  }

  private encrypt(block: Uint8Array): Uint8Array {
    return this.aes.run(block);
  }

  /**
   * wc_CmacUpdate: fill the buffer; a full buffer is folded into the digest only
   * when more input follows (the last block waits for the final subkey). The blocks
   * folded by one call are one CBC-MAC run (wolfCrypt chains them through the digest
   * the same way), so node encrypts them in a single call instead of one per block.
   */
  update(input: Uint8Array): void {
    let pos = 0;
    // Complete a partly filled buffer first.
    if (this.bufferSz > 0 && this.bufferSz < AES_BLOCK) {
      const add = Math.min(input.length, AES_BLOCK - this.bufferSz);
      this.buffer.set(input.subarray(0, add), this.bufferSz);
      this.bufferSz += add;
      pos = add;
    }
    if (pos >= input.length) return;
    // More input follows, so a full buffer and every whole block but the one that ends the
    // input (it waits, as wolfCrypt's) are folded now.
    const rest = input.length - pos;
    const whole = Math.floor((rest - 1) / AES_BLOCK); // input blocks that are certainly not last
    const lead = this.bufferSz === AES_BLOCK ? 1 : 0;
    if (lead + whole > 0) {
      // fold XORs the chaining value into its first block: the input itself is passed only when nothing is chained yet.
      const inPlace = lead === 0 && this.totalSz === 0;
      const run = inPlace ? input.subarray(pos, pos + whole * AES_BLOCK) : new Uint8Array((lead + whole) * AES_BLOCK);
      if (!inPlace) {
        if (lead) run.set(this.buffer);
        run.set(input.subarray(pos, pos + whole * AES_BLOCK), lead * AES_BLOCK);
      }
      this.fold(run);
      pos += whole * AES_BLOCK;
      this.bufferSz = 0;
    }
    this.buffer.set(input.subarray(pos)); // over the folded block's stale bytes, as wolfCrypt
    this.bufferSz = input.length - pos;
  }

  /** CBC-MAC of whole blocks into the digest; the first block is chained only when blocks were folded before. */
  private fold(blocks: Uint8Array): void {
    if (this.totalSz !== 0) xorInto(blocks, this.digest, 0, AES_BLOCK);
    // CBC with a zero IV over the (first-block-xored) run: each block is E(block ^ previous).
    const cbc = createCipheriv(aesCipherName(this.key, 'cbc'), this.key, ZERO_IV).setAutoPadding(false);
    const out = cbc.update(blocks);
    const n = blocks.length / AES_BLOCK;
    // wolfCrypt XORs in its buffer, so the buffer keeps the last block XORed with the chaining
    // value before it (the bytes beyond bufferSz travel in the state and must match).
    this.buffer.set(blocks.subarray(blocks.length - AES_BLOCK));
    if (n >= 2) xorInto(this.buffer, out.subarray(out.length - 2 * AES_BLOCK, out.length - AES_BLOCK));
    this.digest.set(out.subarray(out.length - AES_BLOCK));
    this.totalSz = (this.totalSz + blocks.length) >>> 0;
  }

  /** wc_CmacFinal: pad (0x80 00..) and K2, or K1 for a full last block; the first `outSz` bytes (4..16, else BUFFER_E). */
  final(outSz: number): { rc: 0; mac: Uint8Array } | { rc: number } {
    if (outSz < CMAC_MIN_TAG || outSz > CMAC_MAX_TAG) return { rc: WcError.BUFFER_E };
    let subkey = this.k1;
    if (this.bufferSz !== AES_BLOCK) {
      this.buffer.fill(0, this.bufferSz);
      this.buffer[this.bufferSz] = 0x80;
      subkey = this.k2;
    }
    xorInto(this.buffer, this.digest);
    xorInto(this.buffer, subkey);
    return { rc: 0, mac: own(this.encrypt(this.buffer).subarray(0, outSz)) };
  }

  state(): CmacState {
    return { buffer: own(this.buffer), digest: own(this.digest), bufferSz: this.bufferSz, totalSz: this.totalSz };
  }
}

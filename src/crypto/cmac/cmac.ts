import { WcError } from '../wolfcrypt.js';
import { AES_BLOCK, AesBlockCipher, own, xorInto } from '../aes/block.js';

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
  constructor(key: Uint8Array, state: CmacState = emptyCmacState()) {
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
   * when more input follows (the last block waits for the final subkey).
   */
  update(input: Uint8Array): void {
    let pos = 0;
    while (pos < input.length) {
      const add = Math.min(input.length - pos, AES_BLOCK - this.bufferSz);
      this.buffer.set(input.subarray(pos, pos + add), this.bufferSz);
      this.bufferSz += add;
      pos += add;
      if (this.bufferSz === AES_BLOCK && pos < input.length) {
        if (this.totalSz !== 0) xorInto(this.buffer, this.digest);
        this.digest.set(this.encrypt(this.buffer));
        this.totalSz = (this.totalSz + AES_BLOCK) >>> 0;
        this.bufferSz = 0;
      }
    }
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

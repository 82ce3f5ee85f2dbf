import { AES_BLOCK, AesBlockCipher, own } from './block.js';

/** wolfCrypt's software CTR state: counter block, last keystream block, unused keystream bytes at its end. */
export interface AesCtrState {
  readonly reg: Uint8Array;
  readonly tmp: Uint8Array;
  readonly left: number;
}

export interface AesCtrArgs extends AesCtrState {
  readonly key: Uint8Array;
  readonly input: Uint8Array;
}

export interface AesCtrResult extends AesCtrState {
  readonly output: Uint8Array;
}

/** The counter block plus one, as one big-endian 128-bit number (wrapping), in place. */
export function incrementCounter(reg: Uint8Array): void {
  for (let i = AES_BLOCK - 1; i >= 0; i--) {
    reg[i] = (reg[i]! + 1) & 0xff;
    if (reg[i] !== 0) return;
  }
}

/**
 * wc_AesCtrEncrypt (spec-crypto 4.4): first the `left` unused bytes of `tmp`,
 * then whole blocks from the counter (tmp untouched), then a final partial block
 * whose keystream becomes the new `tmp`. Encryption and decryption are the same.
 */
export function aesCtr({ key, input, reg: regIn, tmp: tmpIn, left: leftIn }: AesCtrArgs): AesCtrResult {
  const reg = own(regIn);
  let tmp = own(tmpIn);
  let left = leftIn;
  const output = new Uint8Array(input.length);
  let pos = 0;
  while (left > 0 && pos < input.length) {
    output[pos] = input[pos]! ^ tmp[AES_BLOCK - left]!;
    pos++;
    left--;
  }
  const aes = new AesBlockCipher(key);
  const blocks = Math.floor((input.length - pos) / AES_BLOCK);
  if (blocks > 0) {
    const counters = new Uint8Array(blocks * AES_BLOCK);
    for (let b = 0; b < blocks; b++) {
      counters.set(reg, b * AES_BLOCK);
      incrementCounter(reg);
    }
    const stream = aes.run(counters);
    for (let i = 0; i < stream.length; i++, pos++) output[pos] = input[pos]! ^ stream[i]!;
  }
  const rest = input.length - pos;
  if (rest > 0) {
    tmp = own(aes.run(reg));
    incrementCounter(reg);
    left = AES_BLOCK - rest;
    for (let i = 0; i < rest; i++, pos++) output[pos] = input[pos]! ^ tmp[i]!;
  }
  return { output, reg, tmp, left };
}

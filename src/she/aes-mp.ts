import { AES_BLOCK, AesBlockCipher, xorInto } from '../crypto/aes/block.js';

/**
 * AES-128 Miyaguchi-Preneel compression (SHE 2.5): H0 = 0; for each 16-byte block
 * m (a short last block zero-padded) H = AES(key H, m) XOR m XOR H; the answer is
 * the last H. Callers feed messages that already carry SHE padding (key ‖ constant).
 */
export function aesMp(input: Uint8Array): Uint8Array {
  let h = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < input.length; i += AES_BLOCK) {
    const m = new Uint8Array(AES_BLOCK);
    m.set(input.subarray(i, i + AES_BLOCK));
    const next = new AesBlockCipher(h).run(m).slice();
    xorInto(next, m);
    xorInto(next, h);
    h = next;
  }
  return h;
}

/** The SHE key derivation KDF(K, C) = AES-MP(K ‖ C). */
export function sheKdf(key: Uint8Array, c: Uint8Array): Uint8Array {
  const input = new Uint8Array(key.length + c.length);
  input.set(key);
  input.set(c, key.length);
  return aesMp(input);
}

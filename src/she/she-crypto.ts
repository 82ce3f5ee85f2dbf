import { aesCbc } from '../crypto/aes/cbc.js';
import { AesBlockCipher } from '../crypto/aes/block.js';
import { AesCmac } from '../crypto/cmac/cmac.js';

/**
 * The 16-byte primitives SHE builds on, as plain synchronous functions: cheap
 * enough (a handful of AES blocks) to run inside one owner turn.
 */

const ZERO_IV = new Uint8Array(16);

/** AES-128-CMAC (RFC 4493), the full 16-byte tag. */
export function cmac16(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = new AesCmac(key);
  c.update(data);
  const r = c.final(16);
  if (r.rc !== 0 || !('mac' in r)) throw new Error('CMAC of a 16-byte tag failed');
  return r.mac;
}

/** One AES-128 block (ECB) encryption. */
export function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return new AesBlockCipher(key).run(block).slice();
}

/** AES-128-CBC with a zero IV over whole blocks (M2, and the PRNG seed step written as one CBC block). */
export function cbcZeroIv(key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  const r = aesCbc({ key, encrypt, iv: ZERO_IV, input: data });
  if (r.rc !== 0 || !('output' in r)) throw new Error('AES-CBC over whole blocks failed');
  return r.output;
}

/** Constant-time equality of two byte strings of the same length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export const concat = (...parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

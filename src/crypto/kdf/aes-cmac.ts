import { createCipheriv } from 'node:crypto';

/** AES block encryption with a raw key of 16, 24 or 32 bytes (ECB on one block, no padding). */
function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** RFC 4493 subkey derivation: shift left one bit, XOR 0x87 into the last byte on carry. */
function doubleBlock(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i]! << 1) | (i < 15 ? b[i + 1]! >> 7 : 0)) & 0xff;
  if (b[0]! & 0x80) out[15]! ^= 0x87;
  return out;
}

export const isAesKeyLength = (n: number): boolean => n === 16 || n === 24 || n === 32;

/** One-shot AES-CMAC (RFC 4493, SP 800-38B) of a whole message: the 16-byte tag. The key length must be 16/24/32. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k1 = doubleBlock(aesBlock(key, new Uint8Array(16)));
  const k2 = doubleBlock(k1);
  const blocks = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const last = new Uint8Array(16);
  const tail = message.subarray((blocks - 1) * 16);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i]! ^= sub[i]!;
  // CBC-MAC over all blocks: one CBC encryption with a zero IV, keeping the final block.
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, new Uint8Array(16));
  c.setAutoPadding(false);
  const cbc = Buffer.concat([c.update(message.subarray(0, (blocks - 1) * 16)), c.update(last), c.final()]);
  return new Uint8Array(cbc.subarray(cbc.length - 16));
}

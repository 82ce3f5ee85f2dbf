import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';

/** AES block size in bytes. */
export const AES_BLOCK = 16;

/** True for the key lengths AES has (128, 192, 256 bits). */
export function isAesKeyLength(n: number): boolean {
  return n === 16 || n === 24 || n === 32;
}

/** node:crypto's cipher name for a key of `key.length` bytes in `mode`. */
export function aesCipherName(key: Uint8Array, mode: 'ecb' | 'cbc' | 'ctr' | 'gcm'): string {
  if (!isAesKeyLength(key.length)) throw new RangeError(`AES key of ${key.length} bytes`);
  return `aes-${key.length * 8}-${mode}`;
}

/**
 * A copy as a plain Uint8Array of its own: structured-clone friendly (no shared
 * pool slab), and never a view (a Buffer's slice() is one).
 */
export function own(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/**
 * Takes over a fresh node:crypto output as a plain Uint8Array: the same memory when
 * the Buffer spans an ArrayBuffer of its own (cipher update/final and getAuthTag
 * answer such Buffers), else a copy (a pooled or sliced Buffer shares its
 * ArrayBuffer with other bytes). Only for outputs nothing else refers to.
 */
export function adopt(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer) : new Uint8Array(b);
}

/**
 * Raw AES on whole blocks (ECB, no padding): one node cipher object reused for
 * many blocks, which is what CTR and CMAC chain their blocks through.
 */
export class AesBlockCipher {
  private readonly cipher: Cipher | Decipher;

  constructor(key: Uint8Array, direction: 'encrypt' | 'decrypt' = 'encrypt') {
    const name = aesCipherName(key, 'ecb');
    this.cipher = direction === 'encrypt' ? createCipheriv(name, key, null) : createDecipheriv(name, key, null);
    this.cipher.setAutoPadding(false);
  }

  /** `blocks.length` must be a multiple of 16; the answer has the same length. */
  run(blocks: Uint8Array): Uint8Array {
    if (blocks.length % AES_BLOCK !== 0) throw new RangeError('AES blocks: length not a multiple of 16');
    return this.cipher.update(blocks);
  }
}

export function xorInto(target: Uint8Array, other: Uint8Array, offset = 0, length = other.length): void {
  for (let i = 0; i < length; i++) target[offset + i]! ^= other[i]!;
}

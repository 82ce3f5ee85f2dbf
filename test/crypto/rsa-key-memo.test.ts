import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeRsaKeyMemo } from '../../src/crypto/rsa/key-memo.js';

const der = (bits: number) => new Uint8Array(generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'der', type: 'pkcs1' }));

describe('RSA decoded-key memo', () => {
  it('the same DER decodes once; other bytes (a replaced key) decode to their own key; garbage is never remembered', () => {
    const a = der(1024);
    const b = der(1024);
    const first = decodeRsaKeyMemo(a);
    expect(first.rc).toBe(0);
    expect(decodeRsaKeyMemo(Uint8Array.from(a))).toBe(first); // a copy of the same bytes: the memo's entry
    const other = decodeRsaKeyMemo(b);
    expect(other).not.toBe(first);
    expect('key' in other && 'key' in first && other.key.n !== first.key.n).toBe(true);
    expect(decodeRsaKeyMemo(new Uint8Array([1, 2, 3])).rc).toBe(-140);
  });

  it('keeps only the most recently used keys', () => {
    const keys = Array.from({ length: 17 }, () => der(1024));
    const firstDecode = decodeRsaKeyMemo(keys[0]!);
    for (const k of keys.slice(1)) decodeRsaKeyMemo(k);
    expect(decodeRsaKeyMemo(keys[0]!)).not.toBe(firstDecode); // pushed out by 16 newer ones, decoded again
    expect(decodeRsaKeyMemo(keys[16]!)).toBe(decodeRsaKeyMemo(keys[16]!));
  });
});

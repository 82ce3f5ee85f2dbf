import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesCmac } from '../../src/crypto/cmac/cmac.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('AES-CMAC leaves its input as it was', () => {
  it('one-shot (folded in place) and resumed (chained through a copy) runs give the same MAC, inputs unchanged', () => {
    const key = bytes(16, 1);
    const msg = bytes(1024, 7);
    const before = digest(msg);
    const one = new AesCmac(key);
    one.update(msg);
    const whole = one.final(16);
    expect(digest(msg)).toBe(before);
    // The same message in two calls: the second is chained to the first's digest.
    const first = new AesCmac(key);
    first.update(msg.subarray(0, 517));
    const second = new AesCmac(key, first.state());
    second.update(msg.subarray(517));
    expect(second.final(16)).toEqual(whole);
    expect(digest(msg)).toBe(before);
  });
});

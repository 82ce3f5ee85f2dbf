import { describe, expect, it } from 'vitest';
import { KeyMemo } from '../../src/crypto/key-memo.js';

describe('KeyMemo (per-thread decoded keys)', () => {
  it('decodes the same bytes once, other bytes to their own value, and never keeps what `keep` refuses', () => {
    let decodes = 0;
    const memo = new KeyMemo(4, (b) => ({ n: ++decodes, first: b[0] }), (v) => v.first !== 0xff);
    const a = memo.get(Uint8Array.of(1, 2, 3));
    expect(memo.get(Uint8Array.of(1, 2, 3))).toBe(a); // a copy of the same bytes hits
    expect(memo.get(Uint8Array.of(1, 2, 4))).not.toBe(a);
    memo.get(Uint8Array.of(0xff));
    memo.get(Uint8Array.of(0xff));
    expect(decodes).toBe(4); // the refused value was decoded twice
  });

  it('keeps only the most recently used', () => {
    let decodes = 0;
    const memo = new KeyMemo(2, () => ++decodes);
    const [x, y, z] = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    memo.get(x);
    memo.get(y);
    memo.get(x); // x is now the most recent
    memo.get(z); // pushes out y
    expect(decodes).toBe(3);
    memo.get(x);
    expect(decodes).toBe(3);
    memo.get(y);
    expect(decodes).toBe(4);
  });
});

import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adopt } from '../../src/crypto/aes/block.js';

describe('adopt (taking over node:crypto outputs)', () => {
  it("keeps the memory of a Buffer that spans its own ArrayBuffer, as a plain Uint8Array", () => {
    const out = createCipheriv('aes-128-gcm', Buffer.alloc(16), Buffer.alloc(12)).update(Buffer.alloc(1024));
    const a = adopt(out);
    expect(a).not.toBeInstanceOf(Buffer);
    expect(a.buffer).toBe(out.buffer);
    expect(a.slice(0, 4).buffer).not.toBe(out.buffer); // a plain Uint8Array's slice copies
  });

  it('copies a pooled or sliced Buffer (its ArrayBuffer holds other bytes)', () => {
    const pooled = Buffer.from([1, 2, 3]); // small Buffers come from node's shared pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(3);
    const a = adopt(pooled);
    expect(a.buffer).not.toBe(pooled.buffer);
    expect([...a]).toEqual([1, 2, 3]);
    const whole = Buffer.alloc(32, 7);
    const view = whole.subarray(8, 16);
    expect(adopt(view).buffer).not.toBe(whole.buffer);
  });
});

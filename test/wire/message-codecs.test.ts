import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_MESSAGES, CommInitResponse, KeyCacheRequest, NvmAddObjectRequest, NvmGetAvailableResponse } from '../../src/protocol/messages/index.js';
import type { Field, FieldType, StructCodec } from '../../src/protocol/struct.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

function fieldArb(type: FieldType): fc.Arbitrary<unknown> {
  if (typeof type === 'object') return fc.uint8Array({ minLength: type.bytes, maxLength: type.bytes });
  switch (type) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  }
}

/** An arbitrary message value built from the codec's own field list. */
function messageArb(c: StructCodec<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, [, t]] of Object.entries(c.fields) as [string, Field][]) parts[k] = fieldArb(t);
  if (c.tail) parts.data = fc.uint8Array({ maxLength: 64 });
  return fc.record(parts);
}

const width = (t: FieldType) => (typeof t === 'object' ? t.bytes : { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8 }[t]);

describe('message codecs (spec-wire 8-11)', () => {
  it('cover every COMM, NVM, KEY and COUNTER layout', () => {
    expect(ALL_MESSAGES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ALL_MESSAGES.map((c) => [c.name, c] as const))('%s: fields fit the struct and never overlap', (_n, c) => {
    const used = new Uint8Array(c.size);
    for (const [off, t] of Object.values(c.fields)) {
      expect(off + width(t)).toBeLessThanOrEqual(c.size);
      for (let i = off; i < off + width(t); i++) used[i] = (used[i] ?? 0) + 1;
    }
    expect(Math.max(0, ...used)).toBeLessThanOrEqual(1);
  });

  it.each(ALL_MESSAGES.map((c) => [c.name, c] as const))('%s: decode(encode(x)) = x in both byte orders', (_n, c) => {
    fc.assert(
      fc.property(messageArb(c), fc.boolean(), (x, le) => {
        const wire = c.encode(x, le);
        expect(wire.length).toBe(c.size + (c.tail ? (x.data as Uint8Array).length : 0));
        expect(c.decode(wire, le)).toEqual(x);
        if (c.size > 0) expect(c.decode(wire.subarray(0, c.size - 1), le)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });

  it('decode the recorded bytes of the golden traces', () => {
    expect(CommInitResponse.decode(hex('0c00000039000000'), true)).toEqual({ clientId: 12, serverId: 57 });
    expect(NvmGetAvailableResponse.decode(hex('0000000040f90700000000001b000000'), true)).toEqual({ rc: 0, availSize: 0x7f940, reclaimSize: 0, availObjects: 27, reclaimObjects: 0 });
    const add = NvmAddObjectRequest.decode(hex('0100ffff000006006c6162656c31000000000000000000000000000000000000646174613100'), true)!;
    expect([add.id, add.access, add.flags, add.len, new TextDecoder().decode(add.data)]).toEqual([1, 0xffff, 0, 6, 'data1\0']);
    const cache = KeyCacheRequest.decode(hex('00000000 11000000 0e000000 0000 0000 6d7920736563726574206b65790000000000000000000000 3031323334353637383961626364656600'), true)!;
    expect([cache.sz, cache.labelLen, cache.id, cache.data.length]).toEqual([17, 14, 0, 17]);
  });
});

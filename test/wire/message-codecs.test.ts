import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_MESSAGES,
  CommInitResponse,
  CustomCbRequest,
  CustomCbResponse,
  KeyCacheRequest,
  NvmAddObjectRequest,
  NvmGetAvailableResponse,
  customBodyType,
  decodeCustomBody,
  writeCustomBody,
} from '../../src/protocol/messages/index.js';
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

  it.each(ALL_MESSAGES.filter((c) => c.tail).map((c) => [c.name, c] as const))('%s: encodeTail(x, parts) = encode(x with the parts joined)', (_n, c) => {
    fc.assert(
      fc.property(messageArb(c), fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), fc.boolean(), (x, parts, le) => {
        const joined = Uint8Array.from(parts.flatMap((p) => [...p]));
        const { data: _data, ...fixed } = x;
        expect(c.encodeTail(fixed, parts, le)).toEqual(c.encode({ ...x, data: joined }, le));
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

describe('CUSTOM codecs (spec-wire 12.1, spec-cert-she-custom 3)', () => {
  const area = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

  it('decode the observed 272-byte NOHANDLER answer and a 264-byte request', () => {
    const observed = hex(`44332211 00000000 00000000 29f8ffff ${Buffer.from(area(8, 248)).toString('hex')} eeeeeeeeeeeeeeee`);
    const r = CustomCbResponse.decode(observed, true)!;
    expect([r.id, r.type, r.rc, r.err]).toEqual([0x11223344, 0, 0, -2007]);
    expect(r.data).toEqual(Uint8Array.from([...area(8, 248), ...new Uint8Array(8).fill(0xee)]));
    expect([CustomCbRequest.size, CustomCbResponse.size]).toEqual([264, 272]);
    const q = CustomCbRequest.encode({ id: 2, type: 0, data: new Uint8Array(256) }, false);
    expect(Buffer.from(q.subarray(0, 8)).toString('hex')).toBe('0000000200000000');
  });

  it('the data area is read by type: DMA fields in the peer order, user bytes never swapped, nothing for QUERY and reserved types', () => {
    const dma32 = hex(`00001000 00000020 00003000 00000040 ${'ab'.repeat(240)}`);
    expect(decodeCustomBody(1, dma32, false)).toEqual({ kind: 'dma32', dma: { clientAddr: 0x1000, clientSize: 0x20, serverAddr: 0x3000, serverSize: 0x40 } });
    const dma64 = hex(`0800000000000000 1000000000000000 1800000000000000 2000000000000080 ${'00'.repeat(224)}`);
    expect(decodeCustomBody(2, dma64, true)).toEqual({ kind: 'dma64', dma: { clientAddr: 8n, clientSize: 16n, serverAddr: 24n, serverSize: 0x8000000000000020n } });
    expect(decodeCustomBody(9, area(0, 256), false)).toEqual({ kind: 'user', type: 9, data: area(0, 256) });
    expect(decodeCustomBody(0, area(0, 256), true)).toEqual({ kind: 'none', type: 0 });
    expect(decodeCustomBody(7, area(0, 256), true)).toEqual({ kind: 'none', type: 7 });
  });

  it('writing a body touches only its own fields; user data is zero padded; a type that contradicts the body is refused', () => {
    const a = area(0, 256);
    writeCustomBody({ kind: 'none', type: 0 }, a, true);
    expect(a).toEqual(area(0, 256));
    writeCustomBody({ kind: 'dma32', dma: { clientAddr: 1, clientSize: 2, serverAddr: 3, serverSize: 4 } }, a, false);
    expect(a).toEqual(Uint8Array.from([...hex('00000001 00000002 00000003 00000004'), ...area(16, 240)]));
    writeCustomBody({ kind: 'user', type: 8, data: Uint8Array.of(5, 6) }, a, true);
    expect(a).toEqual(Uint8Array.from([5, 6, ...new Uint8Array(254)]));
    expect(customBodyType({ kind: 'none', type: 4 })).toBe(4);
    expect(customBodyType({ kind: 'user', type: 0xffffffff, data: new Uint8Array(256) })).toBe(0xffffffff);
    expect(() => customBodyType({ kind: 'none', type: 1 })).toThrow(RangeError);
    expect(() => customBodyType({ kind: 'none', type: 8 })).toThrow(RangeError);
    expect(() => customBodyType({ kind: 'user', type: 7, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => customBodyType({ kind: 'user', type: 8, data: new Uint8Array(257) })).toThrow(RangeError);
  });
});

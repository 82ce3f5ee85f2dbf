import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/client/hsm-client.js';
import { WhError } from '../../src/errors.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { checkCustomCallbackTable, customHandler, type CustomCallbackRequest, type CustomCallbackTable } from '../../src/handlers/custom.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import type { ServerConfig } from '../../src/server/server-config.js';
import { testServer } from '../helpers/server-fixture.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const seqBytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

/** A server whose CUSTOM group is served from `table`; `raw` sends packets with a chosen byte order. */
function customServer(table: CustomCallbackTable, config: Partial<ServerConfig> = {}) {
  const t = testServer({ config, handlers: { ...DEFAULT_HANDLERS, [Group.CUSTOM]: customHandler(table) } });
  const { client: link } = t.server.connectMemory();
  let seq = 0;
  const raw = async (slot: number, payload: Uint8Array, littleEndian = true) => {
    const header = { magic: 0xa501, kind: kind(Group.CUSTOM, slot), seq: ++seq, aux: 0, littleEndian };
    const p = decodePacket(await link.request(encodePacket(header, payload)))!;
    expect([p.header.kind, p.header.seq, p.header.littleEndian]).toEqual([header.kind, header.seq, littleEndian]);
    return p.payload;
  };
  return { ...t, raw, client: t.connect().client };
}

/** A 264-byte request: u32 id, u32 type, data[256], in the given byte order. */
function request(id: number, type: number, data: Uint8Array, littleEndian = true): Uint8Array {
  const out = new Uint8Array(264);
  const v = new DataView(out.buffer);
  v.setUint32(0, id, littleEndian);
  v.setUint32(4, type, littleEndian);
  out.set(data, 8);
  return out;
}

describe('CUSTOM group (spec-wire 12.1, spec-cert-she-custom 3)', () => {
  it('an empty slot answers the 272-byte NOHANDLER form: id echoed, type 0, rc 0, err -2007, then the request bytes 16..263', async () => {
    const { raw, client } = customServer({});
    const answer = await raw(2, request(0x11223344, 0, seqBytes(256)));
    // spec-cert-she-custom 3.4's observed answer, with zeros where the C server leaves 8 stale bytes.
    expect(answer).toEqual(hex(`44332211 00000000 00000000 29f8ffff ${Buffer.from(seqBytes(248, 8)).toString('hex')} 0000000000000000`));
    expect(await client.customCbCheckRegistered(0)).toBe(WhError.NOHANDLER);
    expect(await client.customCbCheckRegistered(5)).toBe(WhError.NOHANDLER);
  });

  it('a big-endian peer gets the same answer in its byte order', async () => {
    const { raw } = customServer({});
    const answer = await raw(1, request(0x11223344, 0, new Uint8Array(256), false), false);
    expect(answer.subarray(0, 16)).toEqual(hex('11223344 00000000 00000000 fffff829'));
    expect(answer.length).toBe(272);
  });

  it('slot >= the configured count, or a request not exactly 264 bytes: the request is echoed verbatim', async () => {
    const ran: number[] = [];
    const cb = (r: CustomCallbackRequest) => (ran.push(r.index), { rc: 0 });
    const { raw, client } = customServer({ 0: cb, 6: cb, 7: cb }, { customCbCount: 6 });
    const req = request(6, 9, seqBytes(256, 3));
    expect(await raw(6, req)).toEqual(req);
    expect(await raw(7, req)).toEqual(req);
    const short = seqBytes(100);
    expect(await raw(0, short)).toEqual(short);
    const long = seqBytes(265);
    expect(await raw(0, long)).toEqual(long);
    expect(ran).toEqual([]);
    // The C client refuses the 264-byte echo with -2002.
    await expect(client.customCbCheckRegistered(6)).rejects.toBeInstanceOf(ProtocolError);
    await expect(client.customCbCheckRegistered(6)).rejects.toMatchObject({ rc: WhError.ABORTED });
  });

  it('a registered slot: QUERY reports err 0 without running the callback; other types run it', async () => {
    const seen: CustomCallbackRequest[] = [];
    const { client } = customServer({ 3: (r) => (seen.push(r), { rc: 77 }) });
    expect(await client.customCbCheckRegistered(3)).toBe(WhError.OK);
    expect(await client.customCbCheckRegistered(2)).toBe(WhError.NOHANDLER);
    expect(seen).toEqual([]);
    // A reserved type (3..7) carries no data: the callback sees none, and gets it anyway (only QUERY is special).
    const r = await client.customCb(3, { id: 0xabcdef, body: { kind: 'none', type: 5 } });
    expect(r).toEqual({ id: 0xabcdef, rc: 77, err: WhError.OK, body: { kind: 'none', type: 0 } });
    expect(seen).toEqual([{ index: 3, id: 0xabcdef, body: { kind: 'none', type: 5 } }]);
  });

  it('a user-typed callback reads NVM through ctx.owner and answers its own type and data, copied verbatim', async () => {
    const table: CustomCallbackTable = {
      1: async ({ body }, ctx) => {
        if (body.kind !== 'user') return { rc: WhError.BADARGS };
        const id = body.data[0]! | (body.data[1]! << 8);
        const d = await ctx.owner.call(ctx.session.sessionId, 'nvm.readChecked', { id, offset: 0, len: 4 });
        if (d.rc !== 0) return { rc: d.rc };
        return { rc: 0x1234, body: { kind: 'user', type: 0x10000, data: Uint8Array.of(ctx.session.clientId, ...d.value) } };
      },
    };
    const { client } = customServer(table);
    await client.commInit(9);
    expect(await client.nvmAddObject(makeMetadata({ id: 0x0305 }), Uint8Array.of(0xde, 0xad, 0xbe, 0xef))).toBe(0);
    const data = new Uint8Array(256).fill(0x77);
    data.set([0x05, 0x03]);
    const answer = (await client.request(kind(Group.CUSTOM, 1), request(42, 8, data))).bytes;
    // id 42, type 0x10000, rc 0x1234, err 0, then the callback's 5 bytes zero-padded to 256 (none of the request's 0x77s).
    expect(answer).toEqual(hex(`2a000000 00000100 34120000 00000000 09deadbeef ${'00'.repeat(251)}`));
    expect((await client.customCb(1, { body: { kind: 'user', type: 8, data: Uint8Array.of(9, 9) } })).rc).toBe(WhError.NOTFOUND);
  });

  it('DMA32 requests are translated field by field; a DMA64 answer is written in the peer byte order over the request bytes', async () => {
    const seen: CustomCallbackRequest[] = [];
    const table: CustomCallbackTable = {
      4: (r) => {
        seen.push(r);
        return { rc: -1, body: { kind: 'dma64', dma: { clientAddr: 0x0102030405060708n, clientSize: 16n, serverAddr: 0n, serverSize: 0xffn } } };
      },
    };
    const { raw } = customServer(table);
    const data = seqBytes(256, 0x40);
    data.set(hex('00001000 00000020 00003000 00000040'));
    const answer = await raw(4, request(7, 1, data, false), false);
    expect(seen).toEqual([{ index: 4, id: 7, body: { kind: 'dma32', dma: { clientAddr: 0x1000, clientSize: 0x20, serverAddr: 0x3000, serverSize: 0x40 } } }]);
    const tail = Buffer.from(seqBytes(264 - 48, 0x40 + 40)).toString('hex');
    expect(answer).toEqual(hex(`00000007 00000002 ffffffff 00000000 0102030405060708 0000000000000010 0000000000000000 00000000000000ff ${tail} 0000000000000000`));
  });

  it('a callback that answers a body contradicting its type, or a non-i32 rc, fails that request with ABORTED', async () => {
    const { client } = customServer({ 0: () => ({ rc: 0, body: { kind: 'user', type: 3, data: new Uint8Array(1) } }), 1: () => ({ rc: 2 ** 31 }) });
    for (const slot of [0, 1]) {
      const r = await client.request(kind(Group.CUSTOM, slot), request(slot, 8, new Uint8Array(256)));
      expect([r.length, r.i32(0)]).toEqual([4, WhError.ABORTED]);
    }
  });

  it('slots must be bytes (and, checked against a count, below it)', () => {
    const cb = () => ({ rc: 0 });
    expect(() => customHandler({ 256: cb })).toThrow(RangeError);
    expect(() => customHandler({ 255: cb })).not.toThrow();
    expect(() => checkCustomCallbackTable({ 6: cb }, 6)).toThrow(RangeError);
    expect(() => checkCustomCallbackTable({ 5: cb }, 6)).not.toThrow();
  });
});

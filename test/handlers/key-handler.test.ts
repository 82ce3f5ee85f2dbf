import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { StructWriter } from '../../src/protocol/bytes.js';
import { Group, KeyAction, kind } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { handleKey } from '../../src/handlers/key.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const KEY = (a: number) => kind(Group.KEY, a);

describe('KEY group over the wire (spec-wire 10)', () => {
  it('the C client\'s CACHE request from the trace: first key of a fresh server is 0xFF, and EXPORT returns it with its label', async () => {
    const { connect } = testServer();
    const { client } = connect();
    await client.commInit(12);
    const req = hex('00000000 11000000 0e000000 0000 0000 6d7920736563726574206b65790000000000000000000000 3031323334353637383961626364656600');
    const r = await client.request(KEY(KeyAction.CACHE), req);
    expect(r.length).toBe(12);
    expect([r.i32(0), r.u16(4)]).toEqual([0, 0xff]);
    const e = await client.keyExport(0xff);
    expect(e.rc).toBe(0);
    expect(new TextDecoder().decode(e.data)).toBe('0123456789abcdef\0');
    expect(new TextDecoder().decode(e.label.subarray(0, 13))).toBe('my secret key');
    expect(e.label.subarray(14).every((b) => b === 0)).toBe(true);
  });

  it('COMMIT stores the key as NVM object 0x1CFF for client 12, visible to NVM LIST; erase then export → NOTFOUND', async () => {
    const { connect } = testServer();
    const { client } = connect();
    await client.commInit(12);
    expect(await client.keyCache(0, new Uint8Array([1, 2, 3]))).toEqual({ rc: 0, keyId: 0xff });
    expect(await client.keyCommit(0xff)).toBe(0);
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 1, id: 0x1cff });
    expect(await client.keyErase(0xff)).toBe(0);
    expect((await client.keyExport(0xff)).rc).toBe(WhError.NOTFOUND);
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 0, id: 0 });
  });

  it('response sizes: CACHE/EVICT/COMMIT/ERASE 12, EXPORT 36 + len, REVOKE 8; errors keep the size', async () => {
    const { connect } = testServer();
    const { client } = connect();
    await client.commInit(1);
    const id8 = (id: number) => new StructWriter(8, true).u16(0, id).bytes;
    expect((await client.request(KEY(KeyAction.EVICT), id8(5))).length).toBe(12);
    expect((await client.request(KEY(KeyAction.COMMIT), id8(5))).length).toBe(12);
    expect((await client.request(KEY(KeyAction.ERASE), id8(5))).length).toBe(12);
    expect((await client.request(KEY(KeyAction.REVOKE), id8(5))).length).toBe(8);
    const miss = await client.request(KEY(KeyAction.EXPORT), id8(5));
    expect([miss.length, miss.i32(0), miss.u32(4)]).toEqual([36, WhError.NOTFOUND, 0]);
    await client.keyCache(5, new Uint8Array(20));
    expect((await client.request(KEY(KeyAction.EXPORT), id8(5))).length).toBe(56);
  });

  it('requests shorter than their struct get BADARGS at the normal size; sz beyond the bytes sent → BADARGS', async () => {
    const { connect } = testServer();
    const { client } = connect();
    const short = await client.request(KEY(KeyAction.CACHE), new Uint8Array(39));
    expect([short.length, short.i32(0)]).toEqual([12, WhError.BADARGS]);
    const evict = await client.request(KEY(KeyAction.EVICT), new Uint8Array(7));
    expect([evict.length, evict.i32(0)]).toEqual([12, WhError.BADARGS]);
    const lying = new StructWriter(44, true).u32(4, 5).bytes; // claims 5 key bytes, sends 4
    expect((await client.request(KEY(KeyAction.CACHE), lying)).i32(0)).toBe(WhError.BADARGS);
    const huge = await client.keyCache(1, new Uint8Array(1201));
    expect(huge.rc).toBe(WhError.BADARGS);
  });

  it('without the crypto engine (the plain KEY handler) the crypto actions answer NOTIMPL at their normal size; so do the public exports; an unknown action echoes the request', async () => {
    const plainKey: typeof handleKey = (ctx, req) => handleKey(ctx, req);
    const { connect } = testServer({ handlers: { ...DEFAULT_HANDLERS, [Group.KEY]: plainKey } });
    const { client } = connect();
    for (const [action, size] of [
      [KeyAction.KEYWRAP, 8],
      [KeyAction.KEYUNWRAPEXPORT, 8],
      [KeyAction.KEYUNWRAPCACHE, 8],
      [KeyAction.DATAWRAP, 12],
      [KeyAction.DATAUNWRAP, 12],
      [KeyAction.KEYWRAPEXPORT, 8],
      [KeyAction.EXPORT_PUBLIC, 36],
    ] as const) {
      const r = await client.request(KEY(action), new Uint8Array(8));
      expect([action, r.length, r.i32(0)]).toEqual([action, size, WhError.NOTIMPL]);
    }
    // The server's own KEY handler serves the wrap actions: an 8-byte KEYWRAP is too short for its struct.
    const served = await testServer().connect().client.request(KEY(KeyAction.KEYWRAP), new Uint8Array(8));
    expect(served.i32(0)).not.toBe(WhError.NOTIMPL);
    // ...and EXPORT_PUBLIC: an absent key is NOTFOUND there, not NOTIMPL.
    const pub = await testServer().connect().client.request(KEY(KeyAction.EXPORT_PUBLIC), new Uint8Array(8).fill(1));
    expect(pub.i32(0)).toBe(WhError.NOTFOUND);
    const pd = await client.request(KEY(KeyAction.EXPORT_PUBLIC_DMA), new Uint8Array(24));
    expect([pd.length, pd.i32(16)]).toEqual([48, WhError.NOTIMPL]);
    const echo = await client.request(KEY(0x33), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(Array.from(echo.bytes)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('flags from the client: TRUSTED is stripped, the rest kept; label cut to label_len', async () => {
    const { connect } = testServer();
    const { client } = connect();
    await client.commInit(2);
    const r = await client.keyCache(9, new Uint8Array(4), { flags: NvmFlags.TRUSTED | NvmFlags.NONEXPORTABLE, label: 'abc' });
    expect(r.rc).toBe(0);
    // TRUSTED would make every later op ACCESS; without it only export is refused.
    expect((await client.keyExport(9)).rc).toBe(WhError.ACCESS);
    expect(await client.keyCommit(9)).toBe(0);
    const m = await client.nvmGetMetadata(0x1209);
    expect(m.meta.flags).toBe(NvmFlags.NONEXPORTABLE);
    expect(new TextDecoder().decode(m.meta.label.subarray(0, 4))).toBe('abc\0');
  });

  it('CACHE_RANDOM: a server-chosen id filled from the server RNG', async () => {
    const { connect } = testServer({ random: (n) => new Uint8Array(n).fill(0x5a) });
    const { client } = connect();
    await client.commInit(3);
    expect(await client.keyCacheRandom(0, 6)).toEqual({ rc: 0, keyId: 0xff });
    expect((await client.keyExport(0xff)).data).toEqual(new Uint8Array(6).fill(0x5a));
    expect((await client.keyCacheRandom(0, 0)).rc).toBe(WhError.BADARGS);
  });

  it('requests before COMM INIT use client id 0: key ids land in the global namespace', async () => {
    const { connect } = testServer();
    const a = connect().client;
    expect(await a.keyCache(4, new Uint8Array([9]))).toEqual({ rc: 0, keyId: 0x104 });
    const b = connect().client;
    await b.commInit(5);
    expect((await b.keyExport(0x104)).data).toEqual(new Uint8Array([9]));
    expect((await b.keyExport(4)).rc).toBe(WhError.NOTFOUND);
  });

  it('every KEY request is one owner message (DMA variants: one lease)', async () => {
    const { server, connect } = testServer();
    const { client, session } = connect();
    await client.commInit(1);
    const delta = async (f: () => Promise<unknown>) => {
      const before = server.owner.messagesOf(session.sessionId);
      await f();
      return server.owner.messagesOf(session.sessionId) - before;
    };
    expect(await delta(() => client.keyCache(0, new Uint8Array(3)))).toBe(1);
    expect(await delta(() => client.keyExport(0xff))).toBe(1);
    expect(await delta(() => client.keyCommit(0xff))).toBe(1);
    expect(await delta(() => client.keyRevoke(0xff))).toBe(1);
    expect(await delta(() => client.keyEvict(0xff))).toBe(1);
    expect(await delta(() => client.keyErase(0xff))).toBe(1);
    expect(await delta(() => client.keyCacheRandom(0, 4))).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { WhError } from '../../src/errors.js';
import { encodeMetadata, makeMetadata } from '../../src/nvm/metadata.js';
import { SimulatedClientMemory } from '../../src/ports/dma/client-memory.js';
import { StructWriter } from '../../src/protocol/bytes.js';
import { Group, KeyAction, NvmAction, kind } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';

const BASE = 0x4000_0000n;

function dmaClient(latencyMs = 0, allow?: { addr: bigint; size: number }[]) {
  const t = testServer();
  const mem = new SimulatedClientMemory({ base: BASE, size: 8192, latencyMs, ...(allow ? { allow } : {}) });
  const { client, session } = t.server.connectMemory({ dma: mem });
  return { ...t, mem, client: new HsmClient(client), session };
}

describe('DMA request variants over a client-memory port', () => {
  it('NVM ADDOBJECTDMA and READDMA move metadata and bytes through client memory', async () => {
    const { client, mem } = dmaClient();
    mem.bytes.set(encodeMetadata(makeMetadata({ id: 40, label: 'dma' }), undefined, 0, true), 0);
    mem.bytes.set([1, 2, 3, 4, 5], 64);
    expect(await client.nvmAddObjectDma(mem.addr(0), mem.addr(64), 5)).toBe(0);
    expect(await client.nvmRead(40, 0, 10)).toEqual({ rc: 0, data: Uint8Array.from([1, 2, 3, 4, 5]) });
    expect(await client.nvmReadDma(40, 1, 100, mem.addr(256))).toBe(0); // clamped to the 4 bytes after offset 1
    expect(Array.from(mem.bytes.subarray(256, 261))).toEqual([2, 3, 4, 5, 0]);
  });

  it('READDMA: the allow-list is checked with the unclamped length; offset beyond the object → BADARGS; NOTFOUND first', async () => {
    const { client, mem } = dmaClient(0, [{ addr: BASE + 256n, size: 8 }]);
    await client.nvmAddObject(makeMetadata({ id: 41 }), Uint8Array.from([9, 8, 7]));
    expect(await client.nvmReadDma(99, 0, 3, mem.addr(256))).toBe(WhError.NOTFOUND);
    expect(await client.nvmReadDma(41, 3, 3, mem.addr(256))).toBe(WhError.BADARGS);
    expect(await client.nvmReadDma(41, 0, 3, mem.addr(256))).toBe(0);
    expect(Array.from(mem.bytes.subarray(256, 259))).toEqual([9, 8, 7]);
    // 3 bytes would fit, but the requested 16 do not: ACCESS, nothing written.
    mem.bytes.fill(0, 256, 264);
    expect(await client.nvmReadDma(41, 0, 16, mem.addr(256))).toBe(WhError.ACCESS);
    expect(Array.from(mem.bytes.subarray(256, 259))).toEqual([0, 0, 0]);
  });

  it('ADDOBJECTDMA with a NULL metadata address → BADARGS; outside the allow-list → ACCESS; nothing stored', async () => {
    const { client, mem } = dmaClient(0, [{ addr: BASE, size: 64 }]);
    expect(await client.nvmAddObjectDma(0n, mem.addr(0), 4)).toBe(WhError.BADARGS);
    mem.bytes.set(encodeMetadata(makeMetadata({ id: 42 }), undefined, 0, true), 0);
    expect(await client.nvmAddObjectDma(mem.addr(0), mem.addr(1000), 4)).toBe(WhError.ACCESS);
    expect((await client.nvmGetMetadata(42)).rc).toBe(WhError.NOTFOUND);
  });

  it('KEY CACHE_DMA: zero length → BADARGS with the slot wiped; a bad address echoes address and size', async () => {
    const { client, mem } = dmaClient(0, [{ addr: BASE, size: 128 }]);
    await client.commInit(1);
    await client.keyCache(5, Uint8Array.from([1]));
    expect((await client.keyCacheDma(5, mem.addr(0), 0)).rc).toBe(WhError.BADARGS);
    expect((await client.keyExport(5)).rc).toBe(WhError.NOTFOUND); // old copy evicted, new slot wiped
    const req = new StructWriter(56, true).u64(0, mem.addr(4000)).u64(8, 16n).u16(24, 6).bytes;
    const r = await client.request(kind(Group.KEY, KeyAction.CACHE_DMA), req);
    expect([r.length, r.i32(16), r.u64(0), r.u64(8)]).toEqual([24, WhError.ACCESS, mem.addr(4000), 16n]);
    expect((await client.keyExport(6)).rc).toBe(WhError.NOTFOUND);
  });

  it('KEY EXPORT_DMA: client buffer smaller than the key → NOSPACE; NONEXPORTABLE → ACCESS', async () => {
    const { client, mem } = dmaClient();
    await client.commInit(1);
    await client.keyCache(7, new Uint8Array(10).fill(3));
    expect((await client.keyExportDma(7, mem.addr(0), 9)).rc).toBe(WhError.NOSPACE);
    expect(await client.keyExportDma(7, mem.addr(0), 10)).toMatchObject({ rc: 0, len: 10 });
    await client.keyCache(8, new Uint8Array(2), { flags: 0x0004 });
    expect((await client.keyExportDma(8, mem.addr(0), 10)).rc).toBe(WhError.ACCESS);
  });

  it('a connection without client memory (TCP) gets NOTIMPL for every DMA variant', async () => {
    const { connect } = testServer();
    const { client } = connect();
    expect(await client.nvmAddObjectDma(0x10n, 0x20n, 4)).toBe(WhError.NOTIMPL);
    expect(await client.nvmReadDma(1, 0, 4, 0x10n)).toBe(WhError.NOTIMPL);
    expect((await client.keyCacheDma(1, 0x10n, 4)).rc).toBe(WhError.NOTIMPL);
    expect((await client.keyExportDma(1, 0x10n, 4)).rc).toBe(WhError.NOTIMPL);
    expect((await client.request(kind(Group.NVM, NvmAction.READDMA), new Uint8Array(15))).i32(0)).toBe(WhError.ABORTED);
  });

  it('a slow transfer holds no lease: a concurrent destroy and rewrite go ahead, the reader still gets the one version it read', async () => {
    // (A destroy is its own short lease of begin + steps, then a durability wait.)
    const { server, client, mem, session } = dmaClient(15);
    const other = new HsmClient(server.connectMemory().client);
    const third = new HsmClient(server.connectMemory().client);
    await client.nvmAddObject(makeMetadata({ id: 50 }), new Uint8Array(64).fill(0xaa));
    const order: string[] = [];
    server.owner.ops$.subscribe((r) => order.push(`${r.lessee === session.sessionId ? 'reader' : 'other'}:${r.op.kind}`));
    let readDone = false;
    const reading = client.nvmReadDma(50, 0, 64, mem.addr(0)).then((rc) => ((readDone = true), rc));
    await new Promise((r) => setTimeout(r, 3)); // the transfer is in flight now
    expect(server.owner.holder).toBe(null);
    expect(await other.nvmDestroyObjects([50])).toBe(0);
    expect(await third.nvmAddObject(makeMetadata({ id: 50 }), new Uint8Array(8).fill(0xbb))).toBe(0);
    expect(readDone).toBe(false); // the others did not wait for the slow client memory
    expect(await reading).toBe(0);
    expect(mem.bytes.subarray(0, 64).every((b) => b === 0xaa)).toBe(true);
    expect(order.filter((o) => !o.endsWith('destroyStep') && !o.endsWith('nvm.sync'))).toEqual(['reader:nvm.readClamped', 'other:nvm.destroyBegin', 'other:nvm.addObjectChecked']);
  });

  it('a client that disconnects mid-transfer stalls nobody, and its add never lands', async () => {
    const { server, client, mem, session } = dmaClient(30);
    const other = new HsmClient(server.connectMemory().client);
    mem.bytes.set(encodeMetadata(makeMetadata({ id: 52 }), undefined, 0, true), 0);
    void client.nvmAddObjectDma(mem.addr(0), mem.addr(64), 8).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    session.end('test: client vanished');
    expect(await other.nvmGetAvailable()).toMatchObject({ rc: 0 });
    await new Promise((r) => setTimeout(r, 80)); // its transfers have finished by now
    expect((await other.nvmGetMetadata(52)).rc).toBe(WhError.NOTFOUND);
  });
});

import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { MemorySink } from '../../src/ports/flash/memory-sink.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { WriteBehindFlash } from '../../src/ports/flash/write-behind-flash.js';
import { createHsmServer } from '../../src/server/hsm-server.js';

const PART = 16384;

function durableServer(opts: { syncDelayMs?: number; writeDelayMs?: number } = {}) {
  const image = new Uint8Array(2 * PART).fill(0xff);
  const sink = new MemorySink(image, opts);
  const errors: Error[] = [];
  const flash = new WriteBehindFlash({ image: image.slice(), partitionSize: PART, sink, onError: (e) => errors.push(e) });
  const server = createHsmServer({ flash });
  const connect = async (id: number) => {
    const c = new HsmClient(server.connectMemory().client);
    await c.commInit(id);
    return c;
  };
  return { server, sink, flash, connect, errors };
}

/** What a reboot from the simulated disk's durable bytes would show for `id`. */
function bootedRead(sink: MemorySink, id: number): { rc: number; data?: string } {
  const nvm = new Nvm();
  expect(nvm.init(new NvmFlash(new RamFlash({ size: 2 * PART, sectorSize: PART, pageSize: 8, initData: sink.durable }), { objectCount: 30 }))).toBe(0);
  const m = nvm.getMetadata(id);
  if (m.rc !== 0) return { rc: m.rc };
  const d = nvm.read(id, 0, m.value.len);
  return d.rc === 0 ? { rc: 0, data: Buffer.from(d.value).toString('hex') } : { rc: d.rc };
}

const meta = (id: number) => makeMetadata({ id, label: `obj ${id}` });

describe('the owner over a write-behind flash', () => {
  it('answers a write only once it is on the (simulated) disk', async () => {
    const { sink, connect, server } = durableServer({ syncDelayMs: 5 });
    const a = await connect(1);
    let answered = false;
    const pending = a.nvmAddObject(meta(10), new Uint8Array([1, 2, 3])).then((rc) => {
      answered = true;
      // At the moment the answer leaves, a reboot from the durable bytes already has the object.
      expect(bootedRead(sink, 10)).toEqual({ rc: 0, data: '010203' });
      return rc;
    });
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    expect(await pending).toBe(0);
    await server.close();
  });

  it('ECHO, local keys and reads of other objects are answered while a compaction syncs; the compaction after them', async () => {
    const { connect, server, sink } = durableServer();
    const a = await connect(1);
    const b = await connect(2);
    for (let i = 0; i < 8; i++) expect(await a.nvmAddObject(meta(20 + i), new Uint8Array(200).fill(i))).toBe(0);
    // Garbage for the compaction to reclaim: the replaced versions of 21 and 22.
    for (const id of [21, 22]) expect(await a.nvmAddObject(meta(id), new Uint8Array(200).fill(id))).toBe(0);
    sink.delays.syncDelayMs = 150;
    const order: string[] = [];
    const compaction = a.nvmDestroyObjects([]).then((rc) => (order.push('compaction'), rc));
    await new Promise((r) => setImmediate(r));
    expect(await b.echo(new Uint8Array([9, 9]))).toEqual(new Uint8Array([9, 9]));
    order.push('echo');
    const k = await b.keyCache(0, new Uint8Array(16).fill(7), { label: 'b-local' });
    expect(k.rc).toBe(0);
    expect((await b.keyExport(k.keyId)).data).toEqual(new Uint8Array(16).fill(7));
    order.push('local key');
    expect((await b.nvmRead(23, 0, 4)).data).toEqual(new Uint8Array(4).fill(3));
    order.push('nvm read');
    expect(await compaction).toBe(0);
    expect(order).toEqual(['echo', 'local key', 'nvm read', 'compaction']);
    await server.close();
  });

  it('a read of an object with a pending write waits for that write (it observed it)', async () => {
    const { connect, server, sink } = durableServer({ syncDelayMs: 40 });
    const a = await connect(1);
    const b = await connect(2);
    const write = a.nvmAddObject(meta(30), new Uint8Array([5]));
    await new Promise((r) => setImmediate(r));
    const read = b.nvmRead(30, 0, 1).then((r) => {
      // The read saw the new object: by the time it answers, a reboot would see it too.
      expect(bootedRead(sink, 30)).toEqual({ rc: 0, data: '05' });
      return r;
    });
    expect((await read).data).toEqual(new Uint8Array([5]));
    expect(await write).toBe(0);
    await server.close();
  });

  it('concurrent writers share syncs (group commit): far fewer than two per write', async () => {
    const { connect, server, flash } = durableServer({ syncDelayMs: 20 });
    const clients = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => connect(i)));
    const before = flash.stats.syncs;
    const rcs = await Promise.all(clients.map((c, i) => c.counterInit(1, i)));
    expect(rcs.every((r) => r.rc === 0)).toBe(true);
    const syncs = flash.stats.syncs - before;
    expect(syncs).toBeGreaterThanOrEqual(2);
    expect(syncs).toBeLessThanOrEqual(6); // one sync per word would be 20 at least
    await server.close();
  });

  it('a disk failure answers ABORTED, is reported once, and later writes are refused', async () => {
    const { connect, server, sink, errors } = durableServer();
    const a = await connect(1);
    expect(await a.nvmAddObject(meta(40), new Uint8Array([1]))).toBe(0);
    sink.failNext = new Error('EIO: simulated');
    expect(await a.nvmAddObject(meta(41), new Uint8Array([2]))).toBe(-2002);
    expect(errors.map((e) => e.message)).toEqual(['EIO: simulated']);
    expect(await a.nvmAddObject(meta(42), new Uint8Array([3]))).toBe(-2002);
    expect(await a.echo(new Uint8Array([1]))).toEqual(new Uint8Array([1]));
    await server.close();
  });

  it('close() waits for queued writes, then closes the disk; later requests are refused', async () => {
    const { connect, server, sink } = durableServer({ syncDelayMs: 10 });
    const a = await connect(1);
    const adds = [50, 51, 52].map((id) => a.nvmAddObject(meta(id), new Uint8Array([id])).catch(() => 'closed'));
    await new Promise((r) => setImmediate(r));
    await server.close();
    expect(sink.closed).toBe(true);
    expect(bootedRead(sink, 50)).toEqual({ rc: 0, data: '32' });
    await Promise.all(adds);
    expect(() => server.connectMemory()).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { WhError } from '../../src/errors.js';
import { ClientKeyFlag } from '../../src/keystore/key-id.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { SimulatedClientMemory } from '../../src/ports/dma/client-memory.js';
import { ramFlash, testServer } from '../helpers/server-fixture.js';

const G = ClientKeyFlag.GLOBAL;
const bytes = (...b: number[]) => Uint8Array.from(b);

/** Two clients (ids 1 and 2) on one server sharing one NVM, as wh_test_multiclient.c sets up. */
async function twoClients() {
  const { server } = testServer({ flash: ramFlash(128 * 1024) });
  const mem1 = new SimulatedClientMemory({ base: 0x1000_0000n, size: 4096 });
  const mem2 = new SimulatedClientMemory({ base: 0x2000_0000n, size: 4096 });
  const c1 = new HsmClient(server.connectMemory({ dma: mem1 }).client);
  const c2 = new HsmClient(server.connectMemory({ dma: mem2 }).client);
  expect(await c1.commInit(1)).toMatchObject({ clientId: 1 });
  expect(await c2.commInit(2)).toMatchObject({ clientId: 2 });
  return { server, c1, c2, mem1, mem2 };
}

describe('multi-client behaviour (spec-core 7)', () => {
  it('1. flag preservation: a global cache returns the GLOBAL flag, a local one does not; returned ids work as-is', async () => {
    const { c1 } = await twoClients();
    const g = await c1.keyCache(1 | G, bytes(1, 2));
    const l = await c1.keyCache(1, bytes(3, 4));
    expect(g).toEqual({ rc: 0, keyId: 1 | G });
    expect(l).toEqual({ rc: 0, keyId: 1 });
    expect((await c1.keyExport(g.keyId)).data).toEqual(bytes(1, 2));
    expect(await c1.keyEvict(g.keyId)).toBe(0);
    expect(await c1.keyEvict(l.keyId)).toBe(0);
  });

  it('2. global basic: client 2 exports the global key client 1 cached', async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(1 | G, bytes(7, 7, 7));
    expect(await c2.keyExport(1 | G)).toMatchObject({ rc: 0, data: bytes(7, 7, 7) });
  });

  it('3. local isolation: the same local id on two clients holds different bytes', async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(1, bytes(1));
    await c2.keyCache(1, bytes(2));
    expect((await c1.keyExport(1)).data).toEqual(bytes(1));
    expect((await c2.keyExport(1)).data).toEqual(bytes(2));
  });

  it('4. mixed: global 1, local 1 of client 1 and local 1 of client 2 never collide', async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(1 | G, bytes(0xa));
    await c1.keyCache(1, bytes(0xb));
    await c2.keyCache(1, bytes(0xc));
    expect((await c1.keyExport(1 | G)).data).toEqual(bytes(0xa));
    expect((await c1.keyExport(1)).data).toEqual(bytes(0xb));
    expect((await c2.keyExport(1 | G)).data).toEqual(bytes(0xa));
    expect((await c2.keyExport(1)).data).toEqual(bytes(0xc));
  });

  it('5. persistence: cache, commit, evict by client 1; client 2 exports it from NVM; client 1 erases it', async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(1 | G, bytes(5, 5));
    expect(await c1.keyCommit(1 | G)).toBe(0);
    expect(await c1.keyEvict(1 | G)).toBe(0);
    expect(await c2.keyExport(1 | G)).toMatchObject({ rc: 0, data: bytes(5, 5) });
    expect(await c1.keyErase(1 | G)).toBe(0);
    expect((await c2.keyExport(1 | G)).rc).toBe(WhError.NOTFOUND);
  });

  it('6. export protection: a NONEXPORTABLE global key cannot be exported by the other client', async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(1 | G, bytes(1), { flags: NvmFlags.NONEXPORTABLE });
    expect((await c2.keyExport(1 | G)).rc).toBe(WhError.ACCESS);
  });

  it('7. DMA: a global key cached by DMA is exported normally by the other client, and vice versa', async () => {
    const { c1, c2, mem1, mem2 } = await twoClients();
    mem1.bytes.set(bytes(9, 8, 7, 6), 16);
    expect(await c1.keyCacheDma(1 | G, mem1.addr(16), 4)).toEqual({ rc: 0, keyId: 1 | G });
    expect(await c2.keyExport(1 | G)).toMatchObject({ rc: 0, data: bytes(9, 8, 7, 6) });
    await c1.keyCache(2 | G, bytes(4, 4, 4));
    expect(await c2.keyExportDma(2 | G, mem2.addr(100), 64)).toMatchObject({ rc: 0, len: 3 });
    expect(mem2.bytes.subarray(100, 103)).toEqual(bytes(4, 4, 4));
  });

  it("non-owners are refused: client 2 cannot evict, commit or erase client 1's local key (different id space)", async () => {
    const { c1, c2 } = await twoClients();
    await c1.keyCache(3, bytes(1));
    expect(await c2.keyEvict(3)).toBe(WhError.NOTFOUND);
    expect(await c2.keyCommit(3)).toBe(WhError.NOTFOUND);
    expect(await c2.keyErase(3)).toBe(0); // erasing something that (for client 2) exists nowhere
    expect((await c1.keyExport(3)).data).toEqual(bytes(1));
  });

  it('a closed client\'s local cache goes with it; its committed keys and global keys stay', async () => {
    const { server, c1 } = await twoClients();
    await c1.keyCache(1, bytes(1));
    await c1.keyCache(2, bytes(2));
    await c1.keyCommit(2);
    await c1.keyCache(3 | G, bytes(3));
    await c1.close();
    const again = new HsmClient(server.connectMemory().client);
    await again.commInit(1);
    expect((await again.keyExport(1)).rc).toBe(WhError.NOTFOUND);
    expect((await again.keyExport(2)).data).toEqual(bytes(2));
    expect((await again.keyExport(3 | G)).data).toEqual(bytes(3));
  });
});

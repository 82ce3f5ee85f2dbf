import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/client/hsm-client.js';
import { WhError } from '../../src/errors.js';
import { DEFAULT_KEY_FEATURES } from '../../src/keystore/key-id.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { CommAction, Group, NvmAction, kind } from '../../src/protocol/groups.js';
import { NvmAddObjectRequest, NvmDestroyObjectsRequest, NvmReadRequest, destroyIdBytes } from '../../src/protocol/messages/index.js';
import { testServer } from '../helpers/server-fixture.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ABORTED_LE = '2ef8ffff';

describe('COMM INIT client ids (spec-wire 8.1, spec-core 6.2)', () => {
  it('client 0 is accepted when global keys are off, and later requests are scoped to it', async () => {
    const { client } = testServer({ config: { keyFeatures: { ...DEFAULT_KEY_FEATURES, globalKeys: false } } }).connect();
    expect(await client.commInit(0)).toEqual({ clientId: 0, serverId: 57 });
    expect((await client.counterInit(1, 5)).rc).toBe(0);
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 1, id: 0x3001 });
  });

  it('client 0 with global keys, a client above 15, or a short INIT: header-only answer, the client id unchanged', async () => {
    const { client } = testServer().connect();
    await client.commInit(4);
    await expect(client.commInit(0)).rejects.toBeInstanceOf(ProtocolError);
    await expect(client.commInit(16)).rejects.toBeInstanceOf(ProtocolError);
    expect((await client.request(kind(Group.COMM, CommAction.INIT), new Uint8Array(3))).length).toBe(0);
    expect((await client.counterInit(2, 0)).rc).toBe(0);
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 1, id: 0x3402 });
  });
});

describe('NVM request limits (spec-wire 9.3, 9.4)', () => {
  it('DESTROYOBJECTS with count > 19: a 4-byte ABORTED, nothing destroyed; 19 ids are served', async () => {
    const { client } = testServer().connect();
    const ids = Array.from({ length: 19 }, (_, i) => i + 1);
    for (const id of ids) expect(await client.nvmAddObject(makeMetadata({ id }), Uint8Array.of(id))).toBe(0);
    const over = NvmDestroyObjectsRequest.encode({ count: 20, ids: destroyIdBytes(ids, true) }, true);
    expect(hex((await client.request(kind(Group.NVM, NvmAction.DESTROYOBJECTS), over)).bytes)).toBe(ABORTED_LE);
    expect(await client.nvmDestroyObjects([...ids, 20])).toBe(WhError.ABORTED);
    expect((await client.nvmList(0, 0, 0)).count).toBe(19);
    expect(await client.nvmDestroyObjects(ids)).toBe(0);
    expect((await client.nvmList(0, 0, 0)).count).toBe(0);
  });

  it('READ with len > DATA_LEN - 4: a 4-byte ABORTED, checked before the object is looked up; DATA_LEN - 4 is served', async () => {
    const { server, connect } = testServer();
    const { client } = connect();
    const max = server.config.dataLen - 4;
    expect(await client.nvmAddObject(makeMetadata({ id: 7 }), Uint8Array.of(1, 2, 3))).toBe(0);
    for (const id of [7, 8]) {
      const r = await client.request(kind(Group.NVM, NvmAction.READ), NvmReadRequest.encode({ id, offset: 0, dataLen: max + 1 }, true));
      expect(hex(r.bytes)).toBe(ABORTED_LE);
    }
    expect(await client.nvmRead(7, 0, max)).toEqual({ rc: 0, data: Uint8Array.of(1, 2, 3) });
    expect((await client.nvmRead(8, 0, max)).rc).toBe(WhError.NOTFOUND);
  });

  it('ADDOBJECT whose size disagrees with len: ABORTED and nothing stored (deviation: C answers 0)', async () => {
    const { client } = testServer().connect();
    const label = new Uint8Array(24);
    for (const data of [Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3, 4)]) {
      const req = NvmAddObjectRequest.encode({ id: 5, access: 0xffff, flags: 0, len: 3, label, data }, true);
      expect(hex((await client.request(kind(Group.NVM, NvmAction.ADDOBJECT), req)).bytes)).toBe(ABORTED_LE);
    }
    expect(hex((await client.request(kind(Group.NVM, NvmAction.ADDOBJECT), new Uint8Array(31))).bytes)).toBe(ABORTED_LE);
    expect((await client.nvmGetMetadata(5)).rc).toBe(WhError.NOTFOUND);
  });
});

describe('NVM LIST counts as wolfHSM does (wh_NvmFlash_List)', () => {
  it('an object of id 0 first in the directory is not counted by a listing from the start, but is by a listing after another id', async () => {
    const { client } = testServer().connect();
    for (const id of [0, 20, 21, 22, 23]) expect(await client.nvmAddObject(makeMetadata({ id }), Uint8Array.of(1))).toBe(0);
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 4, id: 0 });
    expect(await client.nvmList(0, 0, 20)).toEqual({ rc: 0, count: 3, id: 21 });
  });
});

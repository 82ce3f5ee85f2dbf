import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { SheFid, makeKeyUpdate, type KeyUpdateInput } from '../../src/she/key-update.js';
import { SheAction, SheFlag, SheSlot } from '../../src/she/she-constants.js';
import { sheKeyMeta } from '../../src/she/she-label.js';
import { sheKeyId } from '../../src/she/she-keys.js';
import { SPEC, bootedClient, hex, rawShe, sheServer, unhex } from './she-helpers.js';

const KEY_A = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);
const KEY_B = Uint8Array.from({ length: 16 }, (_, i) => 0x80 + i);

/** A key update of slot 4 under MASTER_ECU_KEY (which reads as zeros until loaded). */
const update = (o: Partial<KeyUpdateInput> = {}) =>
  makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: SheSlot.MASTER_ECU_KEY, authKey: new Uint8Array(16), newKey: KEY_A, counter: 1, ...o });

describe('SHE LOAD_KEY (2.6)', () => {
  it('loads the specification example and answers its M4/M5; the slot holds the key, counter 1, flags 0', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.MASTER_ECU_KEY, key: SPEC.authKey })).toBe(0);
    const r = await c.she.loadKey({ m1: unhex(SPEC.m1), m2: unhex(SPEC.m2), m3: unhex(SPEC.m3) });
    expect(r.rc).toBe(0);
    if (r.rc !== 0 || !('m4' in r)) throw new Error('load failed');
    expect([hex(r.m4), hex(r.m5)]).toEqual([SPEC.m4, SPEC.m5]);
    const m = await c.nvmGetMetadata(sheKeyId(1, 4));
    expect(m.meta.len).toBe(16);
    expect(sheKeyMeta(m.meta.label)).toEqual({ counter: 1, flags: 0 });
    const stored = await c.nvmRead(sheKeyId(1, 4), 0, 16);
    expect(hex(stored.data)).toBe(hex(SPEC.newKey));
    // The new key is in use at once: ECB with it equals node's AES.
    const ecb = await c.she.encEcb(4, new Uint8Array(16));
    expect(ecb.rc === 0 && 'data' in ecb ? hex(ecb.data) : ecb.rc).toBe(hex(createCipheriv('aes-128-ecb', SPEC.newKey, null).update(new Uint8Array(16))));
    await server.stop();
  });

  it('an absent MASTER_ECU_KEY authorises as 16 zero bytes', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect((await c.she.loadKey(update())).rc).toBe(0);
    await server.stop();
  });

  it('the counter must increase: a replay (same counter) and an older counter are KEY_UPDATE_ERROR, a higher one loads', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    const first = update({ counter: 5 });
    expect((await c.she.loadKey(first)).rc).toBe(0);
    expect((await c.she.loadKey(first)).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    expect((await c.she.loadKey(update({ counter: 4, newKey: KEY_B }))).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    expect((await c.she.loadKey(update({ counter: 6, newKey: KEY_B }))).rc).toBe(0);
    expect(sheKeyMeta((await c.nvmGetMetadata(sheKeyId(1, 4))).meta.label).counter).toBe(6);
    await server.stop();
  });

  it('a wrong M3, a wrong UID or a wrong auth key is KEY_UPDATE_ERROR, and M4/M5 are zero', async () => {
    const { server, connect } = sheServer();
    const conn = connect();
    await conn.client.commInit(1);
    expect(await conn.client.she.setUid(SPEC.uid)).toBe(0);
    await conn.client.she.secureBootInit(0);
    const u = update();
    const badMac = u.m3.slice();
    badMac[3]! ^= 0x40;
    expect((await conn.client.she.loadKey({ ...u, m3: badMac })).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    expect((await conn.client.she.loadKey(update({ uid: unhex('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') }))).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    expect((await conn.client.she.loadKey(update({ authKey: KEY_B }))).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    const raw = await rawShe(conn.client.transport, SheAction.LOAD_KEY, Uint8Array.from([...u.m1, ...u.m2, ...badMac]));
    expect(raw.payload.length).toBe(52);
    expect(raw.payload.subarray(4).every((b) => b === 0)).toBe(true);
    await server.stop();
  });

  it('a missing auth key is GENERAL_ERROR; an auth key that is not 16 bytes is KEY_INVALID; a short request is GENERAL_ERROR', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect((await c.she.loadKey(update({ authSlot: 5 }))).rc).toBe(WhError.SHE_GENERAL_ERROR);
    expect(await c.she.preProgramKey({ clientId: 1, slot: 5, key: new Uint8Array(8) })).toBe(0);
    expect((await c.she.loadKey(update({ authSlot: 5 }))).rc).toBe(WhError.SHE_KEY_INVALID);
    const r = await rawShe(c.transport, SheAction.LOAD_KEY, new Uint8Array(63));
    expect(r.view.getInt32(0, true)).toBe(WhError.SHE_GENERAL_ERROR);
    await server.stop();
  });

  it('a write-protected slot refuses every update (WRITE_PROTECTED), whatever the counter', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect(await c.she.preProgramKey({ clientId: 1, slot: 4, key: KEY_A, counter: 1, flags: SheFlag.WRITE_PROTECT })).toBe(0);
    expect((await c.she.loadKey(update({ counter: 9, newKey: KEY_B }))).rc).toBe(WhError.SHE_WRITE_PROTECTED);
    expect(hex((await c.nvmRead(sheKeyId(1, 4), 0, 16)).data)).toBe(hex(KEY_A));
    await server.stop();
  });

  it('FID WILDCARD is stored as WRITE_PROTECT, as wolfHSM packs the flags: the slot is then locked', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect((await c.she.loadKey(update({ fid: SheFid.WILDCARD }))).rc).toBe(0);
    expect(sheKeyMeta((await c.nvmGetMetadata(sheKeyId(1, 4))).meta.label)).toEqual({ counter: 1, flags: SheFlag.WRITE_PROTECT });
    expect((await c.she.loadKey(update({ counter: 2 }))).rc).toBe(WhError.SHE_WRITE_PROTECTED);
    await server.stop();
  });

  it('an all-zero UID (wildcard) loads only into a slot whose stored flags have WILDCARD', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    const zeroUid = new Uint8Array(15);
    expect((await c.she.loadKey(update({ uid: zeroUid, targetSlot: 5 }))).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    expect(await c.she.preProgramKey({ clientId: 1, slot: 5, key: KEY_A, counter: 0, flags: SheFlag.WILDCARD })).toBe(0);
    const r = await c.she.loadKey(update({ uid: zeroUid, targetSlot: 5, newKey: KEY_B }));
    expect(r.rc).toBe(0);
    // M4 carries the device's UID, not the wildcard.
    if (r.rc === 0 && 'm4' in r) expect(hex(r.m4.subarray(0, 16))).toBe(hex(SPEC.uid) + '51');
    expect(hex((await c.nvmRead(sheKeyId(1, 5), 0, 16)).data)).toBe(hex(KEY_B));
    await server.stop();
  });

  it('slot 14 (RAM key) goes to the key cache only, not to NVM', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect((await c.she.loadKey(update({ targetSlot: SheSlot.RAM_KEY }))).rc).toBe(0);
    expect((await c.nvmGetMetadata(sheKeyId(1, SheSlot.RAM_KEY))).rc).toBe(WhError.NOTFOUND);
    const ecb = await c.she.encEcb(SheSlot.RAM_KEY, new Uint8Array(16));
    expect(ecb.rc).toBe(0);
    await server.stop();
  });

  it("keys are per client: client 2 neither sees nor can update client 1's slots", async () => {
    const { server, connect } = sheServer();
    const c1 = await bootedClient(connect, 1);
    expect((await c1.she.loadKey(update({ counter: 3 }))).rc).toBe(0);
    const c2 = await (async () => {
      const { client } = connect();
      await client.commInit(2);
      return client;
    })();
    expect((await c2.she.encEcb(4, new Uint8Array(16))).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    // Client 2's slot 4 is empty: the same counter loads there.
    expect((await c2.she.loadKey(update({ counter: 3, newKey: KEY_B }))).rc).toBe(0);
    expect(hex((await c1.nvmRead(sheKeyId(1, 4), 0, 16)).data)).toBe(hex(KEY_A));
    await server.stop();
  });

  it('a big-endian client gets the same answer bytes (LOAD_KEY carries no numbers but rc)', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    const u = update();
    const r = await rawShe(c.transport, SheAction.LOAD_KEY, Uint8Array.from([...u.m1, ...u.m2, ...u.m3]), false);
    expect(r.littleEndian).toBe(false);
    expect(r.view.getInt32(0, false)).toBe(0);
    expect(hex(r.payload.subarray(4, 36))).toBe(hex(u.m4));
    expect(hex(r.payload.subarray(36))).toBe(hex(u.m5));
    const again = await rawShe(c.transport, SheAction.LOAD_KEY, Uint8Array.from([...u.m1, ...u.m2, ...u.m3]), false);
    expect(again.view.getInt32(0, false)).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    await server.stop();
  });
});

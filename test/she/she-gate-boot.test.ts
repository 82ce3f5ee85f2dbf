import { describe, expect, it } from 'vitest';
import { AesCmac } from '../../src/crypto/cmac/cmac.js';
import { WhError } from '../../src/errors.js';
import { bootMacPrefix } from '../../src/she/she-boot.js';
import { SheAction, SheSlot, SheSreg } from '../../src/she/she-constants.js';
import { SPEC, rawShe, sheClient, sheServer } from './she-helpers.js';
import type { HsmClient } from '../../src/client/hsm-client.js';

const BOOT_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const IMAGE = Uint8Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff);

/** Boot MAC = CMAC(BOOT_MAC_KEY, 0^12 ‖ LE32(size) ‖ image), computed independently of the server's code path. */
function bootMac(key: Uint8Array, image: Uint8Array): Uint8Array {
  const c = new AesCmac(key);
  c.update(Uint8Array.from([...bootMacPrefix(image.length), ...image]));
  return (c.final(16) as { mac: Uint8Array }).mac;
}

async function provisionBoot(c: HsmClient, mac = bootMac(BOOT_KEY, IMAGE)) {
  expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.BOOT_MAC_KEY, key: BOOT_KEY })).toBe(0);
  expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.BOOT_MAC, key: mac })).toBe(0);
}

/** Every action with a well-formed body, to see the gate refuse it. */
const BODIES: Record<number, Uint8Array> = {
  [SheAction.SET_UID]: new Uint8Array(16),
  [SheAction.SECURE_BOOT_INIT]: new Uint8Array(8),
  [SheAction.SECURE_BOOT_UPDATE]: new Uint8Array(8),
  [SheAction.SECURE_BOOT_FINISH]: new Uint8Array(0),
  [SheAction.GET_STATUS]: new Uint8Array(0),
  [SheAction.LOAD_KEY]: new Uint8Array(64),
  [SheAction.LOAD_PLAIN_KEY]: new Uint8Array(16),
  [SheAction.EXPORT_RAM_KEY]: new Uint8Array(0),
  [SheAction.INIT_RND]: new Uint8Array(0),
  [SheAction.RND]: new Uint8Array(0),
  [SheAction.EXTEND_SEED]: new Uint8Array(16),
  [SheAction.ENC_ECB]: Uint8Array.from([16, 0, 0, 0, 4, 0, 0, 0, ...new Uint8Array(16)]),
  [SheAction.ENC_CBC]: Uint8Array.from([16, 0, 0, 0, 4, ...new Uint8Array(19), ...new Uint8Array(16)]),
  [SheAction.DEC_ECB]: Uint8Array.from([16, 0, 0, 0, 4, 0, 0, 0, ...new Uint8Array(16)]),
  [SheAction.DEC_CBC]: Uint8Array.from([16, 0, 0, 0, 4, ...new Uint8Array(19), ...new Uint8Array(16)]),
  [SheAction.GEN_MAC]: new Uint8Array(8),
  [SheAction.VERIFY_MAC]: Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, ...new Uint8Array(16)]),
};
const SIZES: Record<number, number> = { 0: 8, 1: 8, 2: 8, 3: 8, 4: 12, 5: 52, 6: 4, 7: 116, 8: 8, 9: 20, 10: 8, 11: 8, 12: 8, 13: 8, 14: 8, 15: 20, 16: 12 };

describe('SHE gate (2.3)', () => {
  it('before SET_UID every action but GET_STATUS and SET_UID is SEQUENCE_ERROR, in a reply of its normal size with zeros', async () => {
    const { server, connect } = sheServer();
    const conn = connect();
    await conn.client.commInit(1);
    for (const action of Object.values(SheAction)) {
      if (action === SheAction.SET_UID || action === SheAction.GET_STATUS) continue;
      const r = await rawShe(conn.client.transport, action, BODIES[action]!);
      expect({ action, size: r.payload.length, rc: r.view.getInt32(0, true) }).toEqual({ action, size: SIZES[action], rc: WhError.SHE_SEQUENCE_ERROR });
      const rest = r.payload.slice(4);
      // VERIFY_MAC reports "not verified"; everything else is zero.
      if (action === SheAction.VERIFY_MAC) expect(rest[0]).toBe(1);
      else expect(rest.every((b) => b === 0)).toBe(true);
    }
    const st = await conn.client.she.getStatus();
    expect(st).toEqual({ rc: 0, sreg: 0 });
    await server.stop();
  });

  it('after SET_UID but before a successful boot, only the boot actions, GET_STATUS get through; SET_UID is refused once set', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect(await c.she.setUid(SPEC.uid)).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect(await c.she.loadPlainKey(new Uint8Array(16))).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect((await c.she.initRnd()).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect((await c.she.encEcb(4, new Uint8Array(16))).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    // The boot actions pass the gate (and fail on their own terms).
    expect(await c.she.secureBootFinish()).toEqual({ rc: WhError.SHE_SEQUENCE_ERROR, status: WhError.SHE_GENERAL_ERROR });
    await server.stop();
  });

  it('unknown SHE actions get an empty payload', async () => {
    const { server, connect } = sheServer();
    const conn = connect();
    expect((await rawShe(conn.client.transport, 17, new Uint8Array(0))).payload.length).toBe(0);
    expect((await rawShe(conn.client.transport, 0xff, new Uint8Array(8))).payload.length).toBe(0);
    await server.stop();
  });
});

describe('SHE secure boot (2.8, 2.9)', () => {
  it('a matching image boots: sreg SECURE_BOOT | BOOT_FINISHED | BOOT_OK, and the device opens', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    await provisionBoot(c);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect(await c.she.secureBoot(IMAGE, 300)).toBe(0);
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: SheSreg.SECURE_BOOT | SheSreg.BOOT_FINISHED | SheSreg.BOOT_OK });
    expect(await c.she.loadPlainKey(new Uint8Array(16))).toBe(0);
    await server.stop();
  });

  it('without BOOT_MAC_KEY, INIT answers NO_SECURE_BOOT (status GENERAL_ERROR) and the boot counts as done: sreg 0x18', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect(await c.she.secureBootInit(100)).toEqual({ rc: WhError.SHE_NO_SECURE_BOOT, status: WhError.SHE_GENERAL_ERROR });
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: 0x18 });
    await server.stop();
  });

  it('a wrong image fails FINISH with GENERAL_ERROR and leaves the device at INIT (locked, and bootable again)', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    await provisionBoot(c);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    const bad = IMAGE.slice();
    bad[10]! ^= 1;
    expect(await c.she.secureBoot(bad)).toBe(WhError.SHE_GENERAL_ERROR);
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: 0 });
    expect(await c.she.loadPlainKey(new Uint8Array(16))).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect(await c.she.secureBoot(IMAGE)).toBe(0);
    await server.stop();
  });

  it('BOOT_MAC missing at FINISH is KEY_NOT_AVAILABLE', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.BOOT_MAC_KEY, key: BOOT_KEY })).toBe(0);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect(await c.she.secureBoot(IMAGE)).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    await server.stop();
  });

  it('sequence rules: UPDATE past the announced size, FINISH too early and a second INIT after success are SEQUENCE_ERROR and reset to INIT', async () => {
    const { server, connect } = sheServer();
    const c = await sheClient(connect);
    await provisionBoot(c);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect((await c.she.secureBootUpdate(IMAGE)).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect((await c.she.secureBootInit(IMAGE.length)).rc).toBe(0);
    expect((await c.she.secureBootFinish()).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    // The failed FINISH dropped the boot to INIT: an UPDATE now is out of sequence too.
    expect((await c.she.secureBootUpdate(IMAGE.subarray(0, 10))).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect((await c.she.secureBootInit(IMAGE.length)).rc).toBe(0);
    expect((await c.she.secureBootUpdate(Uint8Array.from([...IMAGE, 0]))).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect(await c.she.secureBoot(IMAGE)).toBe(0);
    expect((await c.she.secureBootInit(IMAGE.length)).rc).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: 0 });
    await server.stop();
  });

  it('wrong sizes are GENERAL_ERROR: FINISH and GET_STATUS with a body, an UPDATE chunk that is not all there', async () => {
    const { server, connect } = sheServer();
    const conn = connect();
    const c = conn.client;
    await c.commInit(1);
    await provisionBoot(c);
    const st = await rawShe(c.transport, SheAction.GET_STATUS, new Uint8Array(1));
    expect([st.view.getInt32(0, true), st.payload[4]]).toEqual([WhError.SHE_GENERAL_ERROR, 0]);
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    expect((await c.she.secureBootInit(IMAGE.length)).rc).toBe(0);
    const short = Uint8Array.from([32, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    expect((await rawShe(c.transport, SheAction.SECURE_BOOT_UPDATE, short)).view.getInt32(0, true)).toBe(WhError.SHE_GENERAL_ERROR);
    expect((await c.she.secureBootInit(IMAGE.length)).rc).toBe(0);
    for (let at = 0; at < IMAGE.length; at += 350) expect((await c.she.secureBootUpdate(IMAGE.subarray(at, at + 350))).rc).toBe(0);
    expect((await rawShe(c.transport, SheAction.SECURE_BOOT_FINISH, new Uint8Array(4))).view.getInt32(0, true)).toBe(WhError.SHE_GENERAL_ERROR);
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: 0 });
    await server.stop();
  });

  it('a big-endian client boots: the size field is read in its order, the MAC prefix stays little-endian', async () => {
    const { server, connect } = sheServer();
    const conn = connect();
    await conn.client.commInit(1);
    await provisionBoot(conn.client);
    expect(await conn.client.she.setUid(SPEC.uid)).toBe(0);
    const t = conn.client.transport;
    const be = (n: number) => Uint8Array.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
    const init = await rawShe(t, SheAction.SECURE_BOOT_INIT, Uint8Array.from([...be(IMAGE.length), 0, 0, 0, 0]), false);
    expect(init.littleEndian).toBe(false);
    expect([init.view.getInt32(0, false), init.view.getInt32(4, false)]).toEqual([0, 0]);
    const upd = await rawShe(t, SheAction.SECURE_BOOT_UPDATE, Uint8Array.from([...be(IMAGE.length), 0, 0, 0, 0, ...IMAGE]), false);
    expect(upd.view.getInt32(0, false)).toBe(0);
    const fin = await rawShe(t, SheAction.SECURE_BOOT_FINISH, new Uint8Array(0), false);
    expect(fin.view.getInt32(0, false)).toBe(0);
    const st = await rawShe(t, SheAction.GET_STATUS, new Uint8Array(0), false);
    expect([st.view.getInt32(0, false), st.payload[4]]).toEqual([0, 0x1a]);
    await server.stop();
  });

  it('an UPDATE whose snapshot went stale (another update committed meanwhile) starts over and is applied after it', async () => {
    // Hold connection A's commit until B's whole update went through.
    let holdA: (() => void) | null = null;
    let aWaiting: (() => void) | null = null;
    const aAtCommit = new Promise<void>((r) => (aWaiting = r));
    const kinds: string[] = [];
    const { server, connect } = sheServer({
      interceptOwner: (port, sessionId) => ({
        ...port,
        call: async (lessee, k, args) => {
          if (k.startsWith('she.bootUpdate')) kinds.push(`${sessionId} ${k}`);
          if (k === 'she.bootUpdateCommit' && sessionId === 'session-1' && !holdA) {
            await new Promise<void>((r) => {
              holdA = r;
              aWaiting!();
            });
          }
          return port.call(lessee, k, args);
        },
      }),
    });
    const a = await sheClient(connect);
    const b = await sheClient(connect);
    const image = new Uint8Array(200).fill(0x5a);
    await provisionBoot(a, bootMac(BOOT_KEY, image));
    expect(await a.she.setUid(SPEC.uid)).toBe(0);
    expect((await a.she.secureBootInit(200)).rc).toBe(0);
    const first = a.she.secureBootUpdate(image.subarray(0, 100));
    await aAtCommit;
    expect(await b.she.secureBootUpdate(image.subarray(100))).toEqual({ rc: 0, status: 0 });
    holdA!();
    expect(await first).toEqual({ rc: 0, status: 0 });
    expect(kinds).toEqual([
      'session-1 she.bootUpdateBegin',
      'session-1 she.bootUpdateCommit',
      'session-2 she.bootUpdateBegin',
      'session-2 she.bootUpdateCommit',
      'session-1 she.bootUpdateBegin',
      'session-1 she.bootUpdateCommit',
    ]);
    // Equal halves, so the order does not change the MAC: the image is complete and verifies.
    expect((await b.she.secureBootFinish()).rc).toBe(0);
    await server.stop();
  });
});

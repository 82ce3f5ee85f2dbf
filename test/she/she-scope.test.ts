import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PoolEngine } from '../../src/crypto/pool-engine.js';
import { WhError } from '../../src/errors.js';
import { makeKeyUpdate } from '../../src/she/key-update.js';
import { SheSlot, SheSreg } from '../../src/she/she-constants.js';
import { AesCmac } from '../../src/crypto/cmac/cmac.js';
import { bootMacPrefix } from '../../src/she/she-boot.js';
import { SPEC, bootedClient, hex, sheClient, sheServer } from './she-helpers.js';

const KEY_A = new Uint8Array(16).fill(0x11);
const KEY_B = new Uint8Array(16).fill(0x22);
const BLOCK = Uint8Array.from({ length: 16 }, (_, i) => i);
const ecb = (key: Uint8Array, data: Uint8Array) => {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return hex(c.update(data));
};
const upd = (newKey: Uint8Array, counter: number) => makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: 1, authKey: new Uint8Array(16), newKey, counter });
const out = (r: { rc: number }) => (r.rc === 0 && 'data' in r ? hex(r.data as Uint8Array) : r.rc);

describe('SHE state scope: per process, as the example server', () => {
  it('the UID and the boot outlive a connection: a reconnect cannot set the UID again and is already booted', async () => {
    const { server, connect } = sheServer();
    const first = await bootedClient(connect);
    await first.close();
    const again = await sheClient(connect);
    expect(await again.she.setUid(SPEC.uid)).toBe(WhError.SHE_SEQUENCE_ERROR);
    expect(await again.she.getStatus()).toEqual({ rc: 0, sreg: SheSreg.BOOT_FINISHED | SheSreg.BOOT_OK });
    expect(await again.she.loadPlainKey(KEY_A)).toBe(0);
    await server.stop();
  });

  it('a new server starts fresh: no UID, not booted', async () => {
    const one = sheServer();
    await bootedClient(one.connect);
    await one.server.stop();
    const two = sheServer({ flash: one.flash });
    const c = await sheClient(two.connect);
    expect(await c.she.getStatus()).toEqual({ rc: 0, sreg: 0 });
    expect(await c.she.setUid(SPEC.uid)).toBe(0);
    await two.server.stop();
  });

  it('no stale key copies: after another connection of the client updates a slot, this one uses the new key and cannot replay the old update', async () => {
    const { server, connect } = sheServer();
    const a = await bootedClient(connect);
    const b = await sheClient(connect);
    expect((await b.she.loadKey(upd(KEY_A, 1))).rc).toBe(0);
    expect(out(await b.she.encEcb(4, BLOCK))).toBe(ecb(KEY_A, BLOCK));
    expect((await a.she.loadKey(upd(KEY_B, 2))).rc).toBe(0);
    expect(out(await b.she.encEcb(4, BLOCK))).toBe(ecb(KEY_B, BLOCK));
    expect((await b.she.loadKey(upd(KEY_A, 2))).rc).toBe(WhError.SHE_KEY_UPDATE_ERROR);
    // Re-provisioning through NVM takes effect at once as well.
    expect(await a.she.preProgramKey({ clientId: 1, slot: 4, key: KEY_A, counter: 7 })).toBe(0);
    expect(out(await b.she.encEcb(4, BLOCK))).toBe(ecb(KEY_A, BLOCK));
    await server.stop();
  });
});

describe('SHE on the worker pool', () => {
  it('the boot-image CMAC, ENC/DEC and GEN_MAC run as worker jobs with the same results', async () => {
    const engine = new PoolEngine({ inlineBelow: 0, threads: 1 });
    const { server, connect } = sheServer({ cryptoEngine: engine });
    try {
      const c = await sheClient(connect);
      const data = new Uint8Array(4096).map((_, i) => i & 0xff);
      const boot = new AesCmac(KEY_B);
      boot.update(Uint8Array.from([...bootMacPrefix(data.length), ...data]));
      expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.BOOT_MAC_KEY, key: KEY_B })).toBe(0);
      expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.BOOT_MAC, key: (boot.final(16) as { mac: Uint8Array }).mac })).toBe(0);
      expect(await c.she.setUid(SPEC.uid)).toBe(0);
      expect(await c.she.secureBoot(data, 2048)).toBe(0);
      expect(await c.she.preProgramKey({ clientId: 1, slot: 4, key: KEY_A })).toBe(0);
      const enc = await c.she.encEcb(4, data);
      expect(out(enc)).toBe(ecb(KEY_A, data));
      const dec = await c.she.decEcb(4, (enc as { data: Uint8Array }).data);
      expect(out(dec)).toBe(hex(data));
      const mac = await c.she.generateMac(4, data);
      expect(mac.rc).toBe(0);
      expect(await c.she.verifyMac(4, data, (mac as { mac: Uint8Array }).mac)).toEqual({ rc: 0, verified: true });
    } finally {
      await server.stop();
      await engine.close();
    }
  });
});

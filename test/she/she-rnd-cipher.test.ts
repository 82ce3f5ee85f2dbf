import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { aesMp, sheKdf } from '../../src/she/aes-mp.js';
import { makeKeyUpdate } from '../../src/she/key-update.js';
import { PRNG_KEY_C, PRNG_SEED_KEY_C, SheAction, SheSlot, SheSreg } from '../../src/she/she-constants.js';
import { sheKeyId } from '../../src/she/she-keys.js';
import { SPEC, bootedClient, hex, rawShe, sheServer, unhex } from './she-helpers.js';

const SECRET = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const SEED = unhex('6bc1bee22e409f96e93d7e117393172a');
const ENTROPY = unhex('ae2d8a571e03ac9c9eb76fac45af8e51');
const KEY = unhex('000102030405060708090a0b0c0d0e0f');
const IV = unhex('f0e0d0c0b0a090807060504030201000');
const DATA = Uint8Array.from({ length: 48 }, (_, i) => i * 5);

function aes(mode: 'ecb' | 'cbc', encrypt: boolean, key: Uint8Array, data: Uint8Array, iv: Uint8Array | null = null): string {
  const c = encrypt ? createCipheriv(`aes-128-${mode}`, key, iv) : createDecipheriv(`aes-128-${mode}`, key, iv);
  c.setAutoPadding(false);
  return hex(Buffer.concat([c.update(data), c.final()]));
}
const aesBlock = (key: Uint8Array, b: Uint8Array) => unhex(aes('ecb', true, key, b));

describe('SHE PRNG (2.10)', () => {
  it('INIT_RND/RND give the recorded C server output for the trace keys; the seed advances in NVM', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.SECRET_KEY, key: SECRET })).toBe(0);
    expect(await c.she.preProgramKey({ clientId: 1, slot: SheSlot.PRNG_SEED, key: SEED })).toBe(0);
    expect((await c.she.rnd()).rc).toBe(WhError.SHE_RNG_SEED);
    expect(await c.she.initRnd()).toEqual({ rc: 0, status: 0 });
    expect(await c.she.initRnd()).toEqual({ rc: WhError.SHE_SEQUENCE_ERROR, status: WhError.SHE_GENERAL_ERROR });
    const r1 = await c.she.rnd();
    expect(r1.rc === 0 && 'rnd' in r1 ? hex(r1.rnd) : r1.rc).toBe('614aae8a7bb8fff31ac3230e6240506b');
    // Independently: state0 = AES(KDF(secret, SEED_C), seed), rnd_i = AES(KDF(secret, KEY_C), rnd_i-1).
    const seed1 = aesBlock(sheKdf(SECRET, PRNG_SEED_KEY_C), SEED);
    const prngKey = sheKdf(SECRET, PRNG_KEY_C);
    expect(hex(aesBlock(prngKey, seed1))).toBe('614aae8a7bb8fff31ac3230e6240506b');
    expect(hex((await c.nvmRead(sheKeyId(1, SheSlot.PRNG_SEED), 0, 16)).data)).toBe(hex(seed1));
    const r2 = await c.she.rnd();
    expect(r2.rc === 0 && 'rnd' in r2 ? hex(r2.rnd) : r2.rc).toBe(hex(aesBlock(prngKey, unhex('614aae8a7bb8fff31ac3230e6240506b'))));
    expect(((await c.she.getStatus()) as { sreg: number }).sreg & SheSreg.RND_INIT).toBe(SheSreg.RND_INIT);
    await server.stop();
  });

  it('EXTEND_SEED folds the entropy into the state and into the persisted seed', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect(await c.she.extendSeed(ENTROPY)).toEqual({ rc: WhError.SHE_RNG_SEED, status: WhError.SHE_RNG_SEED });
    await c.she.preProgramKey({ clientId: 1, slot: SheSlot.SECRET_KEY, key: SECRET });
    await c.she.preProgramKey({ clientId: 1, slot: SheSlot.PRNG_SEED, key: SEED });
    expect((await c.she.initRnd()).rc).toBe(0);
    const r1 = await c.she.rnd();
    const state1 = r1.rc === 0 && 'rnd' in r1 ? r1.rnd : new Uint8Array(16);
    expect(await c.she.extendSeed(ENTROPY)).toEqual({ rc: 0, status: 0 });
    const prngKey = sheKdf(SECRET, PRNG_KEY_C);
    const r2 = await c.she.rnd();
    expect(r2.rc === 0 && 'rnd' in r2 ? hex(r2.rnd) : r2.rc).toBe(hex(aesBlock(prngKey, aesMp(Uint8Array.from([...state1, ...ENTROPY])))));
    // The seed extended is the one INIT_RND persisted (never a stale copy).
    const seed1 = aesBlock(sheKdf(SECRET, PRNG_SEED_KEY_C), SEED);
    expect(hex((await c.nvmRead(sheKeyId(1, SheSlot.PRNG_SEED), 0, 16)).data)).toBe(hex(aesMp(Uint8Array.from([...seed1, ...ENTROPY]))));
    await server.stop();
  });

  it('INIT_RND without SECRET_KEY or PRNG_SEED is KEY_NOT_AVAILABLE; a body is GENERAL_ERROR', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect(await c.she.initRnd()).toEqual({ rc: WhError.SHE_KEY_NOT_AVAILABLE, status: WhError.SHE_GENERAL_ERROR });
    await c.she.preProgramKey({ clientId: 1, slot: SheSlot.SECRET_KEY, key: SECRET });
    expect((await c.she.initRnd()).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    expect((await rawShe(c.transport, SheAction.INIT_RND, new Uint8Array(1))).view.getInt32(0, true)).toBe(WhError.SHE_GENERAL_ERROR);
    expect((await rawShe(c.transport, SheAction.RND, new Uint8Array(1))).view.getInt32(0, true)).toBe(WhError.SHE_GENERAL_ERROR);
    await server.stop();
  });
});

describe('SHE ciphers and MACs (2.11)', () => {
  async function keyed() {
    const s = sheServer();
    const c = await bootedClient(s.connect);
    expect(await c.she.preProgramKey({ clientId: 1, slot: 4, key: KEY })).toBe(0);
    return { ...s, c };
  }
  const data = (r: { rc: number }) => (r.rc === 0 && 'data' in r ? hex(r.data as Uint8Array) : r.rc);

  it('ECB and CBC in both directions equal AES-128 from node', async () => {
    const { server, c } = await keyed();
    expect(data(await c.she.encEcb(4, DATA))).toBe(aes('ecb', true, KEY, DATA));
    expect(data(await c.she.decEcb(4, DATA))).toBe(aes('ecb', false, KEY, DATA));
    expect(data(await c.she.encCbc(4, IV, DATA))).toBe(aes('cbc', true, KEY, DATA, IV));
    expect(data(await c.she.decCbc(4, IV, DATA))).toBe(aes('cbc', false, KEY, DATA, IV));
    await server.stop();
  });

  it('only whole blocks are processed: a trailing partial block is ignored and sz says so', async () => {
    const { server, c } = await keyed();
    const r = await rawShe(c.transport, SheAction.ENC_ECB, Uint8Array.from([20, 0, 0, 0, 4, 0, 0, 0, ...DATA.subarray(0, 20)]));
    expect(r.view.getUint32(4, true)).toBe(16);
    expect(hex(r.payload.subarray(8))).toBe(aes('ecb', true, KEY, DATA.subarray(0, 16)));
    await server.stop();
  });

  it('a missing key is KEY_NOT_AVAILABLE with sz 0; data not all there is GENERAL_ERROR', async () => {
    const { server, c } = await keyed();
    const r = await rawShe(c.transport, SheAction.DEC_ECB, Uint8Array.from([16, 0, 0, 0, 9, 0, 0, 0, ...DATA.subarray(0, 16)]));
    expect([r.payload.length, r.view.getInt32(0, true), r.view.getUint32(4, true)]).toEqual([8, WhError.SHE_KEY_NOT_AVAILABLE, 0]);
    const short = await rawShe(c.transport, SheAction.ENC_CBC, Uint8Array.from([32, 0, 0, 0, 4, ...new Uint8Array(19), ...DATA.subarray(0, 16)]));
    expect([short.payload.length, short.view.getInt32(0, true)]).toEqual([8, WhError.SHE_GENERAL_ERROR]);
    await server.stop();
  });

  it('key length rules: longer than 16 is KEY_NOT_AVAILABLE everywhere; shorter fails AES (GENERAL_ERROR) but DEC_CBC and the MACs call it unavailable', async () => {
    const { server, c } = await keyed();
    await c.she.preProgramKey({ clientId: 1, slot: 6, key: new Uint8Array(24) });
    await c.she.preProgramKey({ clientId: 1, slot: 7, key: new Uint8Array(8) });
    expect((await c.she.encEcb(6, DATA)).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    expect((await c.she.encEcb(7, DATA)).rc).toBe(WhError.SHE_GENERAL_ERROR);
    expect((await c.she.encCbc(7, IV, DATA)).rc).toBe(WhError.SHE_GENERAL_ERROR);
    expect((await c.she.decCbc(7, IV, DATA)).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    expect((await c.she.generateMac(7, DATA)).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    expect((await c.she.verifyMac(7, DATA, new Uint8Array(16))).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    await server.stop();
  });

  it('GEN_MAC is AES-CMAC (RFC 4493 example 2); VERIFY_MAC matches full and truncated MACs, rejects wrong or empty ones with rc 0', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    await c.she.preProgramKey({ clientId: 1, slot: 8, key: SECRET });
    const msg = unhex('6bc1bee22e409f96e93d7e117393172a');
    const mac = await c.she.generateMac(8, msg);
    expect(mac.rc === 0 && 'mac' in mac ? hex(mac.mac) : mac.rc).toBe('070a16b46b4d4144f79bdd9dd04a287c');
    const tag = unhex('070a16b46b4d4144f79bdd9dd04a287c');
    expect(await c.she.verifyMac(8, msg, tag)).toEqual({ rc: 0, verified: true });
    expect(await c.she.verifyMac(8, msg, tag.subarray(0, 4))).toEqual({ rc: 0, verified: true });
    const bad = tag.slice();
    bad[15]! ^= 1;
    expect(await c.she.verifyMac(8, msg, bad)).toEqual({ rc: 0, verified: false });
    expect(await c.she.verifyMac(8, msg, new Uint8Array(0))).toEqual({ rc: 0, verified: false });
    expect((await c.she.verifyMac(9, msg, tag)).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    await server.stop();
  });

  it('a big-endian client: ECB, GEN_MAC and VERIFY_MAC read its sizes and answer in its order', async () => {
    const { server, c } = await keyed();
    const t = c.transport;
    const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
    const ecb = await rawShe(t, SheAction.ENC_ECB, Uint8Array.from([...be32(32), 4, 0, 0, 0, ...DATA.subarray(0, 32)]), false);
    expect([ecb.view.getInt32(0, false), ecb.view.getUint32(4, false)]).toEqual([0, 32]);
    expect(hex(ecb.payload.subarray(8))).toBe(aes('ecb', true, KEY, DATA.subarray(0, 32)));
    const gen = await rawShe(t, SheAction.GEN_MAC, Uint8Array.from([...be32(4), ...be32(48), ...DATA]), false);
    expect(gen.view.getInt32(0, false)).toBe(0);
    const mac = gen.payload.slice(4, 20);
    const ok = await rawShe(t, SheAction.VERIFY_MAC, Uint8Array.from([...be32(4), ...be32(48), ...be32(16), 0, 0, 0, 0, ...DATA, ...mac]), false);
    expect([ok.view.getInt32(0, false), ok.payload[4]]).toEqual([0, 0]);
    const le = await c.she.generateMac(4, DATA);
    expect(le.rc === 0 && 'mac' in le ? hex(le.mac) : le.rc).toBe(hex(mac));
    await server.stop();
  });
});

describe('SHE RAM key (2.7)', () => {
  it('EXPORT_RAM_KEY needs a plain-loaded RAM key (KEY_INVALID) and SECRET_KEY (KEY_NOT_AVAILABLE)', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    expect((await c.she.exportRamKey()).rc).toBe(WhError.SHE_KEY_INVALID);
    expect(await c.she.loadPlainKey(KEY)).toBe(0);
    expect((await c.she.exportRamKey()).rc).toBe(WhError.SHE_KEY_NOT_AVAILABLE);
    await server.stop();
  });

  it('the export is a key update of slot 14 under SECRET_KEY with counter 1, and it loads back', async () => {
    const { server, connect } = sheServer();
    const c = await bootedClient(connect);
    await c.she.preProgramKey({ clientId: 1, slot: SheSlot.SECRET_KEY, key: SECRET });
    expect(await c.she.loadPlainKey(KEY)).toBe(0);
    const ex = await c.she.exportRamKey();
    if (ex.rc !== 0 || !('m1' in ex)) throw new Error(`export failed ${ex.rc}`);
    const expected = makeKeyUpdate({ uid: SPEC.uid, targetSlot: SheSlot.RAM_KEY, authSlot: SheSlot.SECRET_KEY, authKey: SECRET, newKey: KEY, counter: 1 });
    expect([ex.m1, ex.m2, ex.m3, ex.m4, ex.m5].map(hex)).toEqual([expected.m1, expected.m2, expected.m3, expected.m4, expected.m5].map(hex));
    const back = await c.she.loadKey(ex);
    expect(back.rc === 0 && 'm4' in back ? [hex(back.m4), hex(back.m5)] : back.rc).toEqual([hex(ex.m4), hex(ex.m5)]);
    expect(data(await c.she.encEcb(SheSlot.RAM_KEY, DATA))).toBe(aes('ecb', true, KEY, DATA));
    await server.stop();
  });
  const data = (r: { rc: number }) => (r.rc === 0 && 'data' in r ? hex(r.data as Uint8Array) : r.rc);
});

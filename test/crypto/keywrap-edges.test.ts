import { describe, expect, it } from 'vitest';
import { encodeKeyPlaintext, sealBlob } from '../../src/crypto/keywrap/blob.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { cacheUnwrappedKey } from '../../src/keystore/unwrap-cache.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { StructWriter } from '../../src/protocol/bytes.js';
import { Group, KeyAction, kind } from '../../src/protocol/groups.js';
import { keystore, keyMeta } from '../helpers/keystore-fixture.js';
import { hex, kdfWrapServer, unhex } from './helpers/kdf-keywrap.js';

const KEK = unhex('03030dd9eb18172e066e19ce9844540d78a0bee7354340a4228ad10ea3631c0b');
const KEY = new Uint8Array(16).fill(0x42);
const IV = new Uint8Array(12).fill(7);
const i32 = (rc: number) => hex(new Uint8Array(new Int32Array([rc]).buffer));
const u16 = (v: number) => hex(new Uint8Array(new Uint16Array([v]).buffer));

async function setup() {
  const { server, connect } = kdfWrapServer();
  expect(await server.nvmFor('p').addObject(makeMetadata({ id: makeKeyId(KeyType.CRYPTO, 1, 0x0c), flags: NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP, len: 32 }), KEK)).toBe(0);
  const { client: c } = connect();
  await c.commInit(1);
  await c.keyCache(0x0a, KEK, { flags: NvmFlags.USAGE_WRAP });
  await c.keyCache(0x0e, new Uint8Array(20), { flags: NvmFlags.USAGE_WRAP }); // not an AES key length
  const send = async (action: number, payload: Uint8Array) => hex((await c.request(kind(Group.KEY, action), payload)).bytes);
  return { c, send };
}

const keyWrapReq = (o: { keySz?: number; kek?: number; cipher?: number; id?: number; key?: Uint8Array; cut?: number } = {}) => {
  const key = o.key ?? KEY;
  const w = new StructWriter(38 + key.length, true).u16(0, o.keySz ?? key.length).u16(2, o.kek ?? 0x0a).u16(4, o.cipher ?? 3);
  w.u16(6, o.id ?? 0x4114).u16(8, 0).u16(10, NvmFlags.USAGE_ANY).u16(12, key.length).set(14, new TextEncoder().encode('edge')).set(38, key);
  return w.bytes.subarray(0, o.cut ?? w.bytes.length);
};
const unwrapReq = (blob: Uint8Array, o: { size?: number; kek?: number; cipher?: number } = {}) =>
  new StructWriter(8 + blob.length, true).u16(0, o.size ?? blob.length).u16(2, o.kek ?? 0x0a).u16(4, o.cipher ?? 3).set(8, blob).bytes;
const dataReq = (data: Uint8Array, o: { size?: number; kek?: number; cipher?: number } = {}) =>
  new StructWriter(8 + data.length, true).u32(0, o.size ?? data.length).u16(4, o.kek ?? 0x0a).u16(6, o.cipher ?? 3).set(8, data).bytes;
/** A key blob made directly (any metadata) under the trace KEK, as a forger who knows a client KEK could. */
const craft = (id: number, len = KEY.length, flags: number = NvmFlags.USAGE_ANY) => sealBlob(KEK, IV, 'key', encodeKeyPlaintext(makeMetadata({ id, len, flags }), KEY)).blob;

describe('KEYWRAP (8) checks in order', () => {
  it('short struct, oversize key and missing bytes answer with cipherType 0; from then on it is echoed', async () => {
    const { send } = await setup();
    expect(await send(KeyAction.KEYWRAP, unhex('1000'))).toBe(i32(-2000) + '00000000');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ keySz: 5001 }))).toBe(i32(-2000) + '00000000');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ cut: 40 }))).toBe(i32(-2006) + '00000000');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ id: 0x1114 }))).toBe(i32(-2000) + '0000' + '0300');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ cipher: 2 }))).toBe(i32(-2000) + '0000' + '0200');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ kek: 0x00 }))).toBe(i32(-2000) + '0000' + '0300');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ kek: 0x77 }))).toBe(i32(-2104) + '0000' + '0300');
    expect(await send(KeyAction.KEYWRAP, keyWrapReq({ kek: 0x0e }))).toBe(i32(-173) + '0000' + '0300');
    const ok = await send(KeyAction.KEYWRAP, keyWrapReq());
    expect(ok.slice(0, 16)).toBe(i32(0) + u16(76) + '0300');
    expect(ok.length).toBe(2 * (8 + 76));
  });

  it('a key whose blob would not fit the comm buffer is BUFFER_SIZE (limit 5000 first)', async () => {
    const { send } = await setup();
    // 8 + 60 + 5000 fits in 8192: the largest key wraps.
    expect((await send(KeyAction.KEYWRAP, keyWrapReq({ key: new Uint8Array(5000) }))).slice(0, 16)).toBe(i32(0) + u16(5060) + '0300');
  });
});

describe('KEYWRAPEXPORT (16) checks in order', () => {
  it('short struct -2000 (cipherType 0); a target type other than CRYPTO/WRAPPED -2000; cipherType checked after the target read', async () => {
    const { c, send } = await setup();
    await c.keyCache(0x15, KEY, { flags: NvmFlags.USAGE_ANY });
    expect(await send(KeyAction.KEYWRAPEXPORT, unhex('15000100'))).toBe(i32(-2000) + '00000000');
    expect(await send(KeyAction.KEYWRAPEXPORT, unhex('15000300' + '0c00' + '0300'))).toBe(i32(-2000) + '0000' + '0300'); // COUNTER type
    expect(await send(KeyAction.KEYWRAPEXPORT, unhex('16000100' + '0c00' + '0200'))).toBe(i32(-2104) + '0000' + '0200');
    expect(await send(KeyAction.KEYWRAPEXPORT, unhex('15000100' + '0c00' + '0200'))).toBe(i32(-2000) + '0000' + '0200');
    expect(await send(KeyAction.KEYWRAPEXPORT, unhex('15000100' + '0e00' + '0300'))).toBe(i32(-2101) + '0000' + '0300');
    expect((await send(KeyAction.KEYWRAPEXPORT, unhex('15000100' + '0c00' + '0300'))).slice(0, 16)).toBe(i32(0) + u16(76) + '0300');
  });
});

describe('KEYUNWRAPEXPORT (9) and KEYUNWRAPCACHE (10) checks in order', () => {
  it('KEYUNWRAPEXPORT always answers 40 + keySz bytes; errors carry zero metadata', async () => {
    const { send } = await setup();
    const zeros = '00'.repeat(32);
    const good = craft(0x4114);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unhex('01000a00'))).toBe(i32(-2000) + '00000000' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(good, { size: 100 }))).toBe(i32(-2006) + '00000000' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(good, { cipher: 4 }))).toBe(i32(-2000) + '0000' + '0400' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(good.subarray(0, 59)))).toBe(i32(-2000) + '0000' + '0300' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(good, { kek: 0x0e }))).toBe(i32(-173) + '0000' + '0300' + zeros);
    const bad = good.slice();
    bad[20]! ^= 0x80;
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(bad))).toBe('4cffffff' + '0000' + '0300' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(craft(0x4100)))).toBe(i32(-2000) + '0000' + '0300' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(craft(0x1114)))).toBe(i32(-2002) + '0000' + '0300' + zeros);
    expect(await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(craft(0x4214)))).toBe(i32(-2101) + '0000' + '0300' + zeros);
    const ok = await send(KeyAction.KEYUNWRAPEXPORT, unwrapReq(craft(0x4014, 99)));
    // Global (USER 0) is allowed; metadata len is not compared with the key for export.
    expect(ok).toBe(i32(0) + u16(16) + '0300' + '1440' + 'ffff' + u16(NvmFlags.USAGE_ANY) + u16(99) + '00'.repeat(24) + hex(KEY));
  });

  it('KEYUNWRAPCACHE: 8-byte answers; len must equal the key; a foreign USER is -2101; a non-WRAPPED type -2002', async () => {
    const { send } = await setup();
    expect(await send(KeyAction.KEYUNWRAPCACHE, unhex('01000a000300'))).toBe(i32(-2000) + '00000000');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4114), { size: 200 }))).toBe(i32(-2006) + '00000000');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4114), { kek: 0x0a }))).toBe(i32(-2101) + '0000' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4114, 15), { kek: 0x0c }))).toBe(i32(-2000) + '0000' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4100), { kek: 0x0c }))).toBe(i32(-2000) + '0000' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x1114), { kek: 0x0c }))).toBe(i32(-2002) + '0000' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4314), { kek: 0x0c }))).toBe(i32(-2101) + '0000' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4114), { kek: 0x0c }))).toBe(i32(0) + '1402' + '0300');
    expect(await send(KeyAction.KEYUNWRAPCACHE, unwrapReq(craft(0x4014), { kek: 0x0c }))).toBe(i32(0) + '1403' + '0300');
  });

  it('the keystore insert refuses an id already cached (-2002) and is not policy-gated', () => {
    const { ctx } = keystore();
    const id = makeKeyId(KeyType.WRAPPED, 1, 0x14);
    expect(cacheUnwrappedKey(ctx, keyMeta(id, 16, NvmFlags.NONMODIFIABLE), KEY)).toEqual({ rc: 0, value: id });
    expect(cacheUnwrappedKey(ctx, keyMeta(id, 16), new Uint8Array(16))).toEqual({ rc: -2002 });
    expect(hex(ctx.local.data(ctx.local.find(id)!))).toBe(hex(KEY));
    expect(ctx.local.find(id)!.committed).toBe(false);
    const global = makeKeyId(KeyType.WRAPPED, 0, 0x14);
    expect(cacheUnwrappedKey(ctx, keyMeta(global, 16), KEY).rc).toBe(0);
    expect(ctx.global!.find(global)).toBeDefined();
  });
});

describe('DATAWRAP (11) and DATAUNWRAP (12) checks in order', () => {
  it('12-byte error answers: size limits and missing bytes with cipherType 0, the rest echoed', async () => {
    const { send } = await setup();
    expect(await send(KeyAction.DATAWRAP, unhex('0500'))).toBe(i32(-2000) + '00000000' + '00000000');
    expect(await send(KeyAction.DATAWRAP, dataReq(new Uint8Array(2001)))).toBe(i32(-2000) + '00000000' + '00000000');
    expect(await send(KeyAction.DATAWRAP, dataReq(unhex('01'), { size: 2 }))).toBe(i32(-2006) + '00000000' + '00000000');
    expect(await send(KeyAction.DATAWRAP, dataReq(unhex('01'), { cipher: 9 }))).toBe(i32(-2000) + '00000000' + '0900' + '0000');
    expect(await send(KeyAction.DATAWRAP, dataReq(unhex('01'), { kek: 0x0e }))).toBe(i32(-173) + '00000000' + '0300' + '0000');
    expect((await send(KeyAction.DATAWRAP, dataReq(new Uint8Array(2000)))).slice(0, 24)).toBe(i32(0) + hex(new Uint8Array(new Uint32Array([2028]).buffer)) + '0300' + '0000');
    const blob = sealBlob(KEK, IV, 'data', unhex('0102')).blob;
    expect(await send(KeyAction.DATAUNWRAP, dataReq(blob, { size: 31 }))).toBe(i32(-2006) + '00000000' + '00000000');
    expect(await send(KeyAction.DATAUNWRAP, dataReq(blob, { cipher: 1 }))).toBe(i32(-2000) + '00000000' + '0100' + '0000');
    expect(await send(KeyAction.DATAUNWRAP, dataReq(blob.subarray(0, 27)))).toBe(i32(-2000) + '00000000' + '0300' + '0000');
    const big = sealBlob(KEK, IV, 'data', new Uint8Array(2001)).blob;
    expect(await send(KeyAction.DATAUNWRAP, dataReq(big))).toBe(i32(-2000) + '00000000' + '0300' + '0000');
    expect(await send(KeyAction.DATAUNWRAP, dataReq(blob))).toBe(i32(0) + '02000000' + '0300' + '0000' + '0102');
  });
});

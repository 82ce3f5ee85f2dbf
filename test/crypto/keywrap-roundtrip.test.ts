import { describe, expect, it } from 'vitest';
import { dataUnwrap, dataWrap, keyUnwrapCache, keyUnwrapExport, keyWrap, keyWrapExport } from '../../src/client/crypto/keywrap.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags, labelText, makeMetadata } from '../../src/nvm/metadata.js';
import { hex, kdfWrapServer, unhex } from './helpers/kdf-keywrap.js';

const KEK = unhex('03030dd9eb18172e066e19ce9844540d78a0bee7354340a4228ad10ea3631c0b');
const KEY = unhex('3520087fc0d4de41bf78f11f9568196a8348d947c647a2f4cd236cad14a5eaf4');
const wrappedMeta = (n: number, flags: number = NvmFlags.USAGE_ANY, user = 1) =>
  makeMetadata({ id: makeKeyId(KeyType.WRAPPED, user, n), access: 0, flags, len: KEY.length, label: 'SwKek Key Label' });

/** A server whose client 1 holds KEK 0x0a (WRAP, client-cached, so not TRUSTED) and NVM KEK 0x0c (TRUSTED + WRAP, provisioned server-side). */
async function setup() {
  const { server, connect } = kdfWrapServer();
  const provision = server.nvmFor('provisioning');
  expect(await provision.addObject(makeMetadata({ id: makeKeyId(KeyType.CRYPTO, 1, 0x0c), flags: NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP, len: 32, label: 'trusted kek' }), KEK)).toBe(0);
  expect(await provision.addObject(makeMetadata({ id: makeKeyId(KeyType.CRYPTO, 0, 0x0d), flags: NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP, len: 32, label: 'global trusted kek' }), KEK)).toBe(0);
  const { client: c } = connect();
  await c.commInit(1);
  expect((await c.keyCache(0x0a, KEK, { flags: NvmFlags.USAGE_WRAP | NvmFlags.NONEXPORTABLE, label: 'Server KEK key' })).rc).toBe(0);
  return { server, connect, c };
}

describe('key wrap round trips', () => {
  it('KEYWRAP then KEYUNWRAPEXPORT: key bytes and metadata come back as sent; a 60 + n byte blob with a fresh IV each time', async () => {
    const { c } = await setup();
    const meta = wrappedMeta(0x14);
    const a = await keyWrap(c, { kekId: 0x0a, meta, key: KEY });
    const b = await keyWrap(c, { kekId: 0x0a, meta, key: KEY });
    expect(a.rc).toBe(0);
    expect(a.blob.length).toBe(92);
    expect(hex(a.blob.subarray(0, 12))).not.toBe(hex(b.blob.subarray(0, 12)));
    const u = await keyUnwrapExport(c, { kekId: 0x0a, blob: a.blob });
    expect(u.rc).toBe(0);
    expect(hex(u.key)).toBe(hex(KEY));
    expect(u.meta).toEqual(meta);
    expect(labelText(u.meta.label)).toBe('SwKek Key Label');
  });

  it('DATAWRAP then DATAUNWRAP: 28 + n byte blob, data back; 5 bytes make a 33-byte blob', async () => {
    const { c } = await setup();
    const data = new TextEncoder().encode('Example data!\0');
    const w = await dataWrap(c, { kekId: 0x0a, data });
    expect(w.rc).toBe(0);
    expect(w.blob.length).toBe(42);
    expect(hex((await dataUnwrap(c, { kekId: 0x0a, blob: w.blob })).data)).toBe(hex(data));
    expect((await dataWrap(c, { kekId: 0x0a, data: unhex('0102030405') })).blob.length).toBe(33);
    const empty = await dataWrap(c, { kekId: 0x0a, data: new Uint8Array(0) });
    expect(empty.blob.length).toBe(28);
    expect((await dataUnwrap(c, { kekId: 0x0a, blob: empty.blob })).data.length).toBe(0);
  });

  it('a key blob does not unwrap as data and a data blob not as a key (-180); nor a tampered blob or another KEK', async () => {
    const { c } = await setup();
    const key = await keyWrap(c, { kekId: 0x0a, meta: wrappedMeta(0x14), key: KEY });
    expect((await dataUnwrap(c, { kekId: 0x0a, blob: key.blob })).rc).toBe(-180);
    const data = await dataWrap(c, { kekId: 0x0a, data: new Uint8Array(40).fill(9) }); // 68 bytes: as long as a key blob needs
    expect((await keyUnwrapExport(c, { kekId: 0x0a, blob: data.blob })).rc).toBe(-180);
    for (const at of [0, 12, 28, 91]) {
      const bad = key.blob.slice();
      bad[at]! ^= 1;
      expect((await keyUnwrapExport(c, { kekId: 0x0a, blob: bad })).rc).toBe(-180);
    }
    await c.keyCache(0x0b, new Uint8Array(32).fill(1), { flags: NvmFlags.USAGE_WRAP });
    expect((await keyUnwrapExport(c, { kekId: 0x0b, blob: key.blob })).rc).toBe(-180);
  });

  it('KEYWRAPEXPORT with a TRUSTED KEK, then KEYUNWRAPCACHE: the key is cached under its WRAPPED id and usable (KEY EXPORT)', async () => {
    const { c } = await setup();
    expect((await c.keyCache(0x15, KEY, { flags: NvmFlags.USAGE_ANY, label: 'TrustedKek key' })).rc).toBe(0);
    const w = await keyWrapExport(c, { keyId: 0x15, kekId: 0x0c });
    expect(w.rc).toBe(0);
    expect(w.blob.length).toBe(92);
    // The blob carries the real metadata with the id moved to the WRAPPED namespace.
    const u = await keyUnwrapExport(c, { kekId: 0x0c, blob: w.blob });
    expect(u.meta.id).toBe(makeKeyId(KeyType.WRAPPED, 1, 0x15));
    expect(u.meta.flags).toBe(NvmFlags.USAGE_ANY);
    expect(u.meta.access).toBe(0xffff);
    const cached = await keyUnwrapCache(c, { kekId: 0x0c, blob: w.blob });
    expect(cached).toEqual({ rc: 0, keyId: 0x215 });
    const e = await c.keyExport(0x215);
    expect(e.rc).toBe(0);
    expect(hex(e.data)).toBe(hex(KEY));
    expect(labelText(e.label)).toBe('TrustedKek key');
    // A wrapped key lives in the cache only: it cannot be committed.
    expect(await c.keyCommit(0x215)).toBe(-2002);
  });

  it('a global blob (USER 0) unwraps into the global cache, visible to another client', async () => {
    const { c, connect } = await setup();
    const meta = wrappedMeta(0x33, NvmFlags.USAGE_ENCRYPT, 0);
    const w = await keyWrap(c, { kekId: 0x10d, meta, key: KEY });
    expect(w.rc).toBe(0);
    expect(await keyUnwrapCache(c, { kekId: 0x10d, blob: w.blob })).toEqual({ rc: 0, keyId: 0x333 });
    const { client: other } = connect();
    await other.commInit(2);
    expect(hex((await other.keyExport(0x333)).data)).toBe(hex(KEY));
  });
});

describe('what never leaves, and which KEK may do what', () => {
  it('a KEK without WRAP answers USAGE -2009 on every wrap action; with WRAP it works', async () => {
    const { c } = await setup();
    await c.keyCache(0x20, KEK, { flags: NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_DECRYPT });
    const blob = (await keyWrap(c, { kekId: 0x0a, meta: wrappedMeta(0x14), key: KEY })).blob;
    const dblob = (await dataWrap(c, { kekId: 0x0a, data: unhex('01') })).blob;
    expect((await keyWrap(c, { kekId: 0x20, meta: wrappedMeta(0x14), key: KEY })).rc).toBe(-2009);
    expect((await keyUnwrapExport(c, { kekId: 0x20, blob })).rc).toBe(-2009);
    expect((await dataWrap(c, { kekId: 0x20, data: unhex('01') })).rc).toBe(-2009);
    expect((await dataUnwrap(c, { kekId: 0x20, blob: dblob })).rc).toBe(-2009);
    await c.keyCache(0x15, KEY, { flags: NvmFlags.USAGE_ANY });
    expect((await keyWrapExport(c, { keyId: 0x15, kekId: 0x20 })).rc).toBe(-2009); // usage is checked before trust
    // The same bytes with WRAP (same key number, re-cached) work.
    await c.keyCache(0x20, KEK, { flags: NvmFlags.USAGE_WRAP });
    expect(hex((await keyUnwrapExport(c, { kekId: 0x20, blob })).key)).toBe(hex(KEY));
  });

  it('KEYWRAPEXPORT and KEYUNWRAPCACHE need a TRUSTED KEK (-2101); a client can never make one (KEY CACHE and KDF outputs drop TRUSTED)', async () => {
    const { c } = await setup();
    await c.keyCache(0x15, KEY, { flags: NvmFlags.USAGE_ANY });
    expect((await keyWrapExport(c, { keyId: 0x15, kekId: 0x0a })).rc).toBe(-2101);
    await c.keyCache(0x0b, KEK, { flags: NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP });
    expect((await keyWrapExport(c, { keyId: 0x15, kekId: 0x0b })).rc).toBe(-2101);
    const blob = (await keyWrap(c, { kekId: 0x0b, meta: wrappedMeta(0x14), key: KEY })).blob;
    expect(await keyUnwrapCache(c, { kekId: 0x0b, blob })).toEqual({ rc: -2101, keyId: 0 });
    expect((await c.keyExport(0x214)).rc).toBe(-2104);
  });

  it('non-exportable keys never leave: KEYWRAPEXPORT of a NONEXPORTABLE or TRUSTED key and KEYUNWRAPEXPORT of a NONEXPORTABLE blob answer -2101', async () => {
    const { c } = await setup();
    await c.keyCache(0x16, KEY, { flags: NvmFlags.NONEXPORTABLE | NvmFlags.USAGE_ANY });
    expect((await keyWrapExport(c, { keyId: 0x16, kekId: 0x0c })).rc).toBe(-2101);
    expect((await keyWrapExport(c, { keyId: 0x0c, kekId: 0x0c })).rc).toBe(-2101); // the TRUSTED KEK itself
    expect((await keyWrapExport(c, { keyId: 0x17, kekId: 0x0c })).rc).toBe(-2104);
    const blob = (await keyWrap(c, { kekId: 0x0c, meta: wrappedMeta(0x14, NvmFlags.NONEXPORTABLE | NvmFlags.USAGE_ENCRYPT), key: KEY })).blob;
    const u = await keyUnwrapExport(c, { kekId: 0x0c, blob });
    expect(u.rc).toBe(-2101);
    expect(u.key.length).toBe(0);
    // It may still be cached for use under a TRUSTED KEK, and KEY EXPORT refuses it there too.
    expect(await keyUnwrapCache(c, { kekId: 0x0c, blob })).toEqual({ rc: 0, keyId: 0x214 });
    expect((await c.keyExport(0x214)).rc).toBe(-2101);
  });

  it('TRUSTED in a blob\'s metadata is dropped when it is cached', async () => {
    const { c } = await setup();
    const blob = (await keyWrap(c, { kekId: 0x0c, meta: wrappedMeta(0x18, NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP), key: KEY })).blob;
    expect((await keyUnwrapCache(c, { kekId: 0x0c, blob })).rc).toBe(0);
    expect((await c.keyExport(0x218)).rc).toBe(0); // a TRUSTED key would refuse export
    expect((await keyWrapExport(c, { keyId: 0x15, kekId: 0x218 })).rc).not.toBe(0);
  });

  it('a blob owned by another client is refused on unwrap (-2101), for export and for caching', async () => {
    const { c, connect } = await setup();
    const blob = (await keyWrap(c, { kekId: 0x10d, meta: wrappedMeta(0x19), key: KEY })).blob;
    const { client: other } = connect();
    await other.commInit(2);
    expect((await keyUnwrapExport(other, { kekId: 0x10d, blob })).rc).toBe(-2101);
    expect((await keyUnwrapCache(other, { kekId: 0x10d, blob })).rc).toBe(-2101);
    expect((await keyUnwrapExport(c, { kekId: 0x10d, blob })).rc).toBe(0);
  });
});

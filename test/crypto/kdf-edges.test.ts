import { describe, expect, it } from 'vitest';
import { cmacKdf, hkdf } from '../../src/client/crypto/kdf.js';
import { WcHash } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { CmacKdfRequest, HkdfRequest } from '../../src/protocol/messages/crypto-kdf.js';
import { hex, kdfWrapServer, unhex } from './helpers/kdf-keywrap.js';

const KDF = kind(Group.CRYPTO, 9);
const SALT16 = unhex('000102030405060708090a0b0c0d0e0f');
const fail = (rc: number) => '09000000' + hex(Uint8Array.from(new Uint8Array(new Int32Array([rc]).buffer))) + '00000000';

async function client() {
  const { connect } = kdfWrapServer();
  const { client: c } = connect();
  await c.commInit(1);
  return c;
}

type HkdfFields = Parameters<typeof HkdfRequest.encode>[0];
const hkdfRaw = (f: Partial<HkdfFields>, tail = new Uint8Array(0), sub = 1) => {
  const fixed = HkdfRequest.encode({ flags: NvmFlags.EPHEMERAL, keyIdIn: 0, keyIdOut: 0, hashType: 6, inKeySz: 0, saltSz: 0, infoSz: 0, outSz: 32, label: new Uint8Array(24), ...f }, true);
  fixed.set(CryptoRequestHeader.encode({ algoType: 9, algoSubType: sub, affinity: 0 }, true));
  return new Uint8Array([...fixed, ...tail]);
};
type CmacFields = Parameters<typeof CmacKdfRequest.encode>[0];
const cmacRaw = (f: Partial<CmacFields>, tail = new Uint8Array(0)) => {
  const fixed = CmacKdfRequest.encode({ flags: NvmFlags.EPHEMERAL, keyIdSalt: 0, keyIdZ: 0, keyIdOut: 0, saltSz: 0, zSz: 0, fixedInfoSz: 0, outSz: 16, label: new Uint8Array(24), ...f }, true);
  fixed.set(CryptoRequestHeader.encode({ algoType: 9, algoSubType: 2, affinity: 0 }, true));
  return new Uint8Array([...fixed, ...tail]);
};

describe('KDF usage enforcement (DERIVE on every stored input)', () => {
  it('HKDF IKM by id: without DERIVE -2009 (12-byte answer), with it the OKM', async () => {
    const c = await client();
    await c.keyCache(0x30, new Uint8Array(32).fill(1), { flags: NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_WRAP });
    await c.keyCache(0x31, new Uint8Array(32).fill(1), { flags: NvmFlags.USAGE_DERIVE });
    expect(hex((await c.request(KDF, hkdfRaw({ keyIdIn: 0x30 }))).bytes)).toBe(fail(-2009));
    const ok = await hkdf(c, { hashType: WcHash.SHA256, ikmKeyId: 0x31, outSz: 32 });
    expect(ok.rc).toBe(0);
    expect(hex(ok.out)).toBe(hex((await hkdf(c, { hashType: WcHash.SHA256, ikm: new Uint8Array(32).fill(1), outSz: 32 })).out));
    // REVOKE clears the usage bits: the same key is refused afterwards.
    expect(await c.keyRevoke(0x31)).toBe(0);
    expect((await hkdf(c, { hashType: WcHash.SHA256, ikmKeyId: 0x31, outSz: 32 })).rc).toBe(-2009);
  });

  it('CMAC KDF: a salt or a Z key without DERIVE is -2009, each checked', async () => {
    const c = await client();
    await c.keyCache(0x40, SALT16, { flags: NvmFlags.USAGE_DERIVE });
    await c.keyCache(0x41, SALT16, { flags: NvmFlags.USAGE_SIGN });
    await c.keyCache(0x42, unhex('aabb'), { flags: NvmFlags.USAGE_DERIVE });
    await c.keyCache(0x43, unhex('aabb'), { flags: 0 });
    expect((await cmacKdf(c, { saltKeyId: 0x41, zKeyId: 0x42, outSz: 16 })).rc).toBe(-2009);
    expect((await cmacKdf(c, { saltKeyId: 0x40, zKeyId: 0x43, outSz: 16 })).rc).toBe(-2009);
    const ok = await cmacKdf(c, { saltKeyId: 0x40, zKeyId: 0x42, outSz: 16 });
    expect(ok.rc).toBe(0);
    expect(hex(ok.out)).toBe(hex((await cmacKdf(c, { salt: SALT16, z: unhex('aabb'), outSz: 16 })).out));
  });
});

describe('KDF edge rows (spec-crypto 8)', () => {
  it('HKDF: struct short -> -2000; sizes beyond the payload -> -2000; empty IKM with id 0 is valid', async () => {
    const c = await client();
    expect(hex((await c.request(KDF, hkdfRaw({}).subarray(0, 67))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, hkdfRaw({ inKeySz: 4 }, unhex('010203')))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, hkdfRaw({ inKeySz: 2, saltSz: 1, infoSz: 1 }, unhex('010203')))).bytes)).toBe(fail(-2000));
    const empty = await c.request(KDF, hkdfRaw({ keyIdIn: 0x100 }));
    expect(empty.i32(4)).toBe(0);
    expect(empty.length).toBe(20 + 32);
  });

  it('HKDF: outSz above DATA_LEN - 20 -> -2000; above 255 blocks or an unknown hash -> -173; stored IKM over 256 bytes -> -2105; absent -> -2104', async () => {
    const c = await client();
    expect(hex((await c.request(KDF, hkdfRaw({ outSz: 8173 }))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, hkdfRaw({ outSz: 8161 }))).bytes)).toBe(fail(-173));
    expect((await c.request(KDF, hkdfRaw({ outSz: 8160 }))).length).toBe(8180);
    expect((await c.request(KDF, hkdfRaw({ hashType: WcHash.SHA512, outSz: 8172 }))).length).toBe(8192);
    expect(hex((await c.request(KDF, hkdfRaw({ hashType: WcHash.SHA3_256 }))).bytes)).toBe(fail(-173));
    expect(hex((await c.request(KDF, hkdfRaw({ hashType: 99 }))).bytes)).toBe(fail(-173));
    await c.keyCache(0x50, new Uint8Array(257), { flags: NvmFlags.USAGE_DERIVE });
    expect(hex((await c.request(KDF, hkdfRaw({ keyIdIn: 0x50 }))).bytes)).toBe(fail(-2105));
    expect(hex((await c.request(KDF, hkdfRaw({ keyIdIn: 0x51 }))).bytes)).toBe(fail(-2104));
  });

  it('an unknown algoSubType is NOT_COMPILED_IN; ephemeral answers carry keyIdOut 0 and zero pads', async () => {
    const c = await client();
    expect(hex((await c.request(KDF, hkdfRaw({}, new Uint8Array(0), 3))).bytes)).toBe(fail(-174));
    const r = await c.request(KDF, hkdfRaw({ keyIdOut: 0x12 }));
    expect(hex(r.bytes.subarray(0, 20))).toBe('0900000000000000000000000000000020000000');
  });

  it('CMAC KDF: salt or Z id 0 with no inline bytes -> -2000; outSz 0 or above 8172 -> -2000; salt not 16/24/32 -> -173; stored salt over 32 bytes -> -2105', async () => {
    const c = await client();
    expect(hex((await c.request(KDF, cmacRaw({ zSz: 1 }, unhex('aa')))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, cmacRaw({ saltSz: 16 }, SALT16))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, cmacRaw({ saltSz: 16, zSz: 1, outSz: 0 }, new Uint8Array([...SALT16, 1])))).bytes)).toBe(fail(-2000));
    expect(hex((await c.request(KDF, cmacRaw({ saltSz: 16, zSz: 1, outSz: 8173 }, new Uint8Array([...SALT16, 1])))).bytes)).toBe(fail(-2000));
    expect((await c.request(KDF, cmacRaw({ saltSz: 16, zSz: 1, outSz: 8172 }, new Uint8Array([...SALT16, 1])))).length).toBe(8192);
    expect(hex((await c.request(KDF, cmacRaw({ saltSz: 20, zSz: 1 }, new Uint8Array(21)))).bytes)).toBe(fail(-173));
    expect(hex((await c.request(KDF, cmacRaw({ saltSz: 16, zSz: 2 }, SALT16))).bytes)).toBe(fail(-2000));
    await c.keyCache(0x60, new Uint8Array(33), { flags: NvmFlags.USAGE_DERIVE });
    expect(hex((await c.request(KDF, cmacRaw({ keyIdSalt: 0x60, zSz: 1 }, unhex('aa')))).bytes)).toBe(fail(-2105));
  });

  it('a cached output over a NONMODIFIABLE key of the same id is refused (-2101), and the old key stays', async () => {
    const c = await client();
    await c.keyCache(0x70, unhex('0102'), { flags: NvmFlags.NONMODIFIABLE });
    const r = await hkdf(c, { hashType: WcHash.SHA256, ikm: unhex('05'), outSz: 16 }, { keyId: 0x70 });
    expect(r.rc).toBe(-2101);
    expect(hex((await c.keyExport(0x70)).data)).toBe('0102');
  });
});

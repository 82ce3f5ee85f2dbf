import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cmacKdf, hkdf } from '../../src/client/crypto/kdf.js';
import { WcHash } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags, labelText } from '../../src/nvm/metadata.js';
import { hex, kdfWrapServer, unhex } from './helpers/kdf-keywrap.js';

/** RFC 5869 appendix A, the SHA-256 cases 1-3. */
const RFC5869 = [
  {
    ikm: '0b'.repeat(22),
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    ikm: Array.from({ length: 80 }, (_, i) => i.toString(16).padStart(2, '0')).join(''),
    salt: Array.from({ length: 80 }, (_, i) => (0x60 + i).toString(16).padStart(2, '0')).join(''),
    info: Array.from({ length: 80 }, (_, i) => (0xb0 + i).toString(16).padStart(2, '0')).join(''),
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  { ikm: '0b'.repeat(22), salt: '', info: '', okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8' },
];

/** The NIST SP 800-56C two-step KDF example with AES-CMAC (24-byte salt, 32-byte Z, 60-byte fixedInfo) wolfHSM's client test uses. */
const CMAC_KDF = {
  salt: '2051af34762ebe556f72a5c6edc7771eb9245fad76f034be',
  z: 'ae8e93c9c991cf896a491a8907df4e4be5186ae496cd340dc19b237821db7b60',
  fixedInfo: 'a259cae2c4a36b89563cb148c78251343bbfabdc13ca7ac2171c2eb6021f4477fea33b28724da721ee087bffd794a1563754b425a8d09b3e0da5ffed',
  out: 'b40c32be012793bafdf778c5f45443f4c97123931763d83a592707bff2d36059502729cab88b2938',
};

async function client() {
  const { server, connect } = kdfWrapServer();
  const { client: c } = connect();
  await c.commInit(1);
  return { server, c };
}

describe('HKDF through the whole stack (RFC 5869)', () => {
  it.each(RFC5869.map((v, i) => [i + 1, v] as const))('test case %i: the OKM comes back when EPHEMERAL', async (_n, v) => {
    const { c } = await client();
    const r = await hkdf(c, { hashType: WcHash.SHA256, ikm: unhex(v.ikm), salt: unhex(v.salt), info: unhex(v.info), outSz: v.okm.length / 2 });
    expect(r.rc).toBe(0);
    expect(r.keyId).toBe(0);
    expect(hex(r.out)).toBe(v.okm);
  });

  it('SHA-224, SHA-384 and SHA-512 agree with node\'s HKDF; info longer than node\'s 1024-byte limit still works', async () => {
    const { c } = await client();
    const ikm = unhex('0b'.repeat(22));
    const salt = unhex('000102030405060708090a0b0c');
    for (const [hashType, name] of [[WcHash.SHA224, 'sha224'], [WcHash.SHA384, 'sha384'], [WcHash.SHA512, 'sha512']] as const) {
      const r = await hkdf(c, { hashType, ikm, salt, info: unhex('f0f1f2'), outSz: 100 });
      expect(hex(r.out)).toBe(hex(new Uint8Array(hkdfSync(name, ikm, salt, unhex('f0f1f2'), 100))));
    }
    const info = new Uint8Array(3000).fill(7);
    const long = await hkdf(c, { hashType: WcHash.SHA256, ikm, salt, info, outSz: 32 });
    expect(long.rc).toBe(0);
    expect(long.out.length).toBe(32);
    expect(hex(long.out)).not.toBe(hex((await hkdf(c, { hashType: WcHash.SHA256, ikm, salt, info: info.subarray(1), outSz: 32 })).out));
  });

  it('a cached result answers its id (255 downwards) and no bytes; KEY EXPORT returns the OKM with the label', async () => {
    const { c } = await client();
    const v = RFC5869[0]!;
    const r = await hkdf(c, { hashType: WcHash.SHA256, ikm: unhex(v.ikm), salt: unhex(v.salt), info: unhex(v.info), outSz: 42 }, { flags: NvmFlags.USAGE_DERIVE, label: 'hkdf-out' });
    expect(r).toEqual({ rc: 0, keyId: 0xff, out: new Uint8Array(0) });
    const e = await c.keyExport(0xff);
    expect(e.rc).toBe(0);
    expect(hex(e.data)).toBe(v.okm);
    expect(labelText(e.label)).toBe('hkdf-out');
    // An explicit global id comes back in client form.
    const g = await hkdf(c, { hashType: WcHash.SHA256, ikm: unhex(v.ikm), outSz: 16 }, { keyId: 0x110 });
    expect(g.keyId).toBe(0x110);
  });

  it('a cached derived key is usable per its flags: DERIVE feeds another HKDF by id; NONEXPORTABLE is not exported; TRUSTED is stripped', async () => {
    const { c } = await client();
    const v = RFC5869[0]!;
    const ikm = unhex(v.ikm);
    const cached = await hkdf(c, { hashType: WcHash.SHA256, ikm, salt: unhex(v.salt), info: unhex(v.info), outSz: 42 }, { keyId: 7, flags: NvmFlags.USAGE_DERIVE });
    expect(cached.keyId).toBe(7);
    const second = await hkdf(c, { hashType: WcHash.SHA256, ikmKeyId: 7, info: unhex('01'), outSz: 32 });
    expect(second.rc).toBe(0);
    expect(hex(second.out)).toBe(hex(new Uint8Array(hkdfSync('sha256', unhex(v.okm), new Uint8Array(0), unhex('01'), 32))));
    await hkdf(c, { hashType: WcHash.SHA256, ikm, outSz: 16 }, { keyId: 8, flags: NvmFlags.NONEXPORTABLE });
    expect((await c.keyExport(8)).rc).toBe(-2101);
    await hkdf(c, { hashType: WcHash.SHA256, ikm, outSz: 16 }, { keyId: 9, flags: NvmFlags.TRUSTED | NvmFlags.USAGE_WRAP });
    expect((await c.keyExport(9)).rc).toBe(0); // a TRUSTED key would refuse export (-2101)
  });
});

describe('two-step CMAC KDF through the whole stack (SP 800-56C rev. 2)', () => {
  it('the NIST example with inline salt and Z, returned', async () => {
    const { c } = await client();
    const r = await cmacKdf(c, { salt: unhex(CMAC_KDF.salt), z: unhex(CMAC_KDF.z), fixedInfo: unhex(CMAC_KDF.fixedInfo), outSz: 40 });
    expect(r.rc).toBe(0);
    expect(hex(r.out)).toBe(CMAC_KDF.out);
  });

  it('salt and Z from stored keys with DERIVE, result cached and exported', async () => {
    const { c } = await client();
    expect((await c.keyCache(0x20, unhex(CMAC_KDF.salt), { flags: NvmFlags.USAGE_DERIVE })).rc).toBe(0);
    expect((await c.keyCache(0x21, unhex(CMAC_KDF.z), { flags: NvmFlags.USAGE_DERIVE })).rc).toBe(0);
    const r = await cmacKdf(c, { saltKeyId: 0x20, zKeyId: 0x21, fixedInfo: unhex(CMAC_KDF.fixedInfo), outSz: 40 }, { label: 'CMAC KDF Key' });
    expect(r).toEqual({ rc: 0, keyId: 0xff, out: new Uint8Array(0) });
    const e = await c.keyExport(0xff);
    expect(hex(e.data)).toBe(CMAC_KDF.out);
    expect(labelText(e.label)).toBe('CMAC KDF Key');
  });

  it('outputs longer than one block use the 32-bit big-endian counter before fixedInfo', async () => {
    const { c } = await client();
    const salt = unhex('000102030405060708090a0b0c0d0e0f');
    const one = await cmacKdf(c, { salt, z: unhex('aa'), fixedInfo: unhex('bb'), outSz: 16 });
    const three = await cmacKdf(c, { salt, z: unhex('aa'), fixedInfo: unhex('bb'), outSz: 40 });
    expect(hex(three.out).startsWith(hex(one.out))).toBe(true);
    expect(three.out.length).toBe(40);
  });
});

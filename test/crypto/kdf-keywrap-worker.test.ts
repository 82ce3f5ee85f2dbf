import { describe, expect, it } from 'vitest';
import { hkdf, cmacKdf } from '../../src/client/crypto/kdf.js';
import { dataUnwrap, dataWrap, keyUnwrapExport, keyWrap } from '../../src/client/crypto/keywrap.js';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { WcHash } from '../../src/crypto/wolfcrypt.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { hex, kdfWrapServer, unhex } from './helpers/kdf-keywrap.js';
import { jobs } from './helpers/kdf-keywrap-jobs.js';

const openPool = poolPerTest();

describe('KDF and key-wrap jobs in the worker pool give the same bytes', () => {
  it('every job runs in a worker (inlineBelow 0): RFC 5869 case 1, the CMAC KDF example, wrap round trips', async () => {
    const engine = openPool({ jobs, jobsModule: new URL('./helpers/kdf-keywrap-jobs.ts', import.meta.url), inlineBelow: 0, threads: 1 });
    const { connect } = kdfWrapServer({ engine });
    const { client: c } = connect();
    await c.commInit(1);
    const okm = await hkdf(c, { hashType: WcHash.SHA256, ikm: unhex('0b'.repeat(22)), salt: unhex('000102030405060708090a0b0c'), info: unhex('f0f1f2f3f4f5f6f7f8f9'), outSz: 42 });
    expect(hex(okm.out)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    const out = await cmacKdf(c, {
      salt: unhex('2051af34762ebe556f72a5c6edc7771eb9245fad76f034be'),
      z: unhex('ae8e93c9c991cf896a491a8907df4e4be5186ae496cd340dc19b237821db7b60'),
      fixedInfo: unhex('a259cae2c4a36b89563cb148c78251343bbfabdc13ca7ac2171c2eb6021f4477fea33b28724da721ee087bffd794a1563754b425a8d09b3e0da5ffed'),
      outSz: 40,
    });
    expect(hex(out.out)).toBe('b40c32be012793bafdf778c5f45443f4c97123931763d83a592707bff2d36059502729cab88b2938');
    await c.keyCache(0x0a, new Uint8Array(32).fill(3), { flags: NvmFlags.USAGE_WRAP });
    const meta = makeMetadata({ id: makeKeyId(KeyType.WRAPPED, 1, 5), len: 16, flags: NvmFlags.USAGE_ENCRYPT, label: 'w' });
    const blob = await keyWrap(c, { kekId: 0x0a, meta, key: new Uint8Array(16).fill(9) });
    const back = await keyUnwrapExport(c, { kekId: 0x0a, blob: blob.blob });
    expect(back.meta).toEqual(meta);
    expect(hex(back.key)).toBe('09'.repeat(16));
    const d = await dataWrap(c, { kekId: 0x0a, data: unhex('cafe') });
    expect(hex((await dataUnwrap(c, { kekId: 0x0a, blob: d.blob })).data)).toBe('cafe');
    expect((await dataUnwrap(c, { kekId: 0x0a, blob: blob.blob })).rc).toBe(-180);
  }, 30_000);
});

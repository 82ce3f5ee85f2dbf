import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { eccClient, hex, pointOf, sec1Of, sha, spkiOf } from './helpers/ecc.js';

const openPool = poolPerTest();

describe('ECC jobs in the worker pool', () => {
  it('every ECC job runs in a worker (inlineBelow 0) with the inline results: P-521 keygen, sign, verify, ECDH, make-pub, check-pub', async () => {
    const engine = openPool({ inlineBelow: 0, threads: 1 });
    const { client } = await eccClient({ engine });
    const ecc = client.crypto.ecc;

    const exported = await ecc.generate({ curve: 'P-521', ephemeral: true });
    const der = 'der' in exported ? exported.der : new Uint8Array(0);
    expect(der.length).toBe(223);
    const mine = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' });

    const gen = await ecc.generate({ curve: 'P-521', flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY | NvmFlags.USAGE_DERIVE });
    if (!('keyId' in gen)) throw new Error(`keygen ${gen.rc}`);
    const message = new TextEncoder().encode('worker');
    const s = await ecc.sign({ keyId: gen.keyId, digest: sha('sha512', message) });
    const signature = 'signature' in s ? s.signature : new Uint8Array(0);
    const pub = createPublicKey({ key: Buffer.from(gen.publicKey), format: 'der', type: 'spki' });
    expect(nodeVerify('sha512', message, pub, signature)).toBe(true);
    expect(await ecc.verify({ keyId: gen.keyId, signature, digest: sha('sha512', message) })).toMatchObject({ rc: 0, valid: true });

    const peer = await client.keyCache(0, sec1Of(mine), { flags: NvmFlags.USAGE_DERIVE });
    const z = await ecc.sharedSecret({ privateKeyId: peer.keyId, publicKeyId: gen.keyId });
    expect('secret' in z && hex(z.secret)).toBe(hex(diffieHellman({ privateKey: mine, publicKey: pub })));

    const p = await ecc.makePublic({ keyId: peer.keyId });
    expect('publicKey' in p && hex(p.publicKey)).toBe(hex(pointOf(mine, 'P-521')));
    expect((await ecc.checkPublic({ keyId: peer.keyId, publicKey: pointOf(mine, 'P-521') })).rc).toBe(0);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    expect((await ecc.checkPublic({ keyId: peer.keyId, publicKey: pointOf(other.publicKey, 'P-521') })).rc).toBe(-216);
    expect((await ecc.verify({ key: spkiOf(other.publicKey), signature, digest: sha('sha512', message) })).rc).toBe(0);
  }, 60_000);
});

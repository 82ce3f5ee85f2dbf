import { constants, createHash, createPrivateKey, createPublicKey, privateEncrypt, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { RsaOp } from '../../src/crypto/rsa/messages.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, rsaClient } from './helpers/rsa.js';

const openPool = poolPerTest();

describe('RSA on the worker path (PoolEngine, every job in a worker thread)', () => {
  it('keygen (EPHEMERAL and cached), private and public ops and GET_SIZE run in a worker with the inline results', async () => {
    // No inline jobs: a job that did not run in a worker would answer NOT_COMPILED_IN.
    const engine = openPool({ jobs: {}, inlineBelow: 0, threads: 1 });
    const { client } = rsaClient({ engine });
    const eph = await client.crypto.rsa.generate({ bits: 2048, ephemeral: true });
    if (!('privateKey' in eph)) throw new Error(`keygen rc ${eph.rc}`);
    const key = createPrivateKey({ key: Buffer.from(eph.privateKey), format: 'der', type: 'pkcs1' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // The private op of the worker equals node's on the same key (RSA without padding is deterministic).
    const { keyId } = await client.keyCache(0, eph.privateKey, { flags: NvmFlags.USAGE_DECRYPT });
    const c = Uint8Array.from({ length: 256 }, (_, i) => (i === 0 ? 0 : (i * 31) & 0xff));
    const d = await client.crypto.rsa.function({ keyId, op: RsaOp.PRIVATE_DECRYPT, input: c });
    expect('output' in d && hex(d.output)).toBe(hex(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, c)));
    expect(await client.crypto.rsa.getSize({ keyId, evict: true })).toEqual({ rc: 0, size: 256 });

    const gen = await client.crypto.rsa.generate({ bits: 2048, flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY });
    if (!('keyId' in gen)) throw new Error(`keygen rc ${gen.rc}`);
    const digest = createHash('sha256').update('worker').digest();
    const s = await client.crypto.rsa.sign({ keyId: gen.keyId, hash: 'sha256', digest });
    if (!('signature' in s)) throw new Error(`sign rc ${s.rc}`);
    expect(verify('sha256', Buffer.from('worker'), createPublicKey({ key: Buffer.from(gen.publicKey), format: 'der', type: 'spki' }), s.signature)).toBe(true);
    expect(await client.crypto.rsa.verify({ keyId: gen.keyId, hash: 'sha256', digest, signature: s.signature })).toEqual({ rc: 0, valid: true });
  }, 60_000);
});

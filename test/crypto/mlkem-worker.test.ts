import { describe, expect, it } from 'vitest';
import { mlKem } from '../../src/crypto/mlkem/params.js';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pqcSetup } from './helpers/mldsa-pqc.js';

const openPool = poolPerTest();

describe('ML-KEM in the worker pool', () => {
  it('ML-KEM-1024 keygen, encapsulate, decapsulate and EXPORT_PUBLIC all run in a worker thread (no inline jobs at all)', async () => {
    const engine = openPool({ jobs: {}, inlineBelow: 0, threads: 1 });
    const { client } = await pqcSetup({ engine });
    const g = await client.crypto.mlkem.generate({ level: 1024, flags: NvmFlags.USAGE_DERIVE });
    if (!('keyId' in g)) throw new Error(`keygen rc ${g.rc}`);
    const e = await client.crypto.mlkem.encapsulate({ keyId: g.keyId, level: 1024 });
    if (!('ciphertext' in e)) throw new Error(`encapsulate rc ${e.rc}`);
    expect(await client.crypto.mlkem.decapsulate({ keyId: g.keyId, level: 1024, ciphertext: e.ciphertext })).toEqual({ rc: 0, sharedSecret: e.sharedSecret });
    const theirs = mlKem(2).encapsulate(g.publicKey);
    expect(await client.crypto.mlkem.decapsulate({ keyId: g.keyId, level: 1024, ciphertext: theirs.cipherText })).toEqual({ rc: 0, sharedSecret: theirs.sharedSecret });
    expect(hex((await client.keyExportPublic(g.keyId, WhKeyAlgo.MLKEM)).publicKey)).toBe(hex(g.publicKey));
  }, 30_000);
});

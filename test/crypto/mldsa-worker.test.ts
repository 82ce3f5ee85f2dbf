import { describe, expect, it } from 'vitest';
import { MLDSA_KEY_CODEC } from '../../src/crypto/mldsa/der.js';
import { mlDsa } from '../../src/crypto/mldsa/params.js';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pqcSetup } from './helpers/mldsa-pqc.js';

const openPool = poolPerTest();

describe('ML-DSA in the worker pool', () => {
  it('ML-DSA-87 keygen, sign, verify and EXPORT_PUBLIC all run in a worker thread (no inline jobs at all)', async () => {
    // An empty inline table: a job that did not go to the worker would answer NOT_COMPILED_IN.
    const engine = openPool({ jobs: {}, inlineBelow: 0, threads: 1 });
    const { client } = await pqcSetup({ engine });
    const g = await client.crypto.mldsa.generate({ level: 87, flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY });
    if (!('keyId' in g)) throw new Error(`keygen rc ${g.rc}`);
    const message = new TextEncoder().encode('worker');
    const s = await client.crypto.mldsa.sign({ keyId: g.keyId, message, context: Uint8Array.of(1) });
    if (!('signature' in s)) throw new Error(`sign rc ${s.rc}`);
    expect(s.signature.length).toBe(4627);
    const pk = MLDSA_KEY_CODEC.decode(g.publicKey)!.publicKey!;
    expect(mlDsa(5).verify(s.signature, message, pk, { context: Uint8Array.of(1) })).toBe(true);
    expect(await client.crypto.mldsa.verify({ keyId: g.keyId, signature: s.signature, message, context: Uint8Array.of(1) })).toEqual({ rc: 0, valid: true });
    expect(hex((await client.keyExportPublic(g.keyId, WhKeyAlgo.MLDSA)).publicKey)).toBe(hex(g.publicKey));
  }, 30_000);
});

import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { x25519PrivateDer, x25519PublicDer } from '../../src/crypto/curve25519/der.js';
import { ed25519PrivateDer } from '../../src/crypto/ed25519/der.js';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { ED25519_VECTORS } from './helpers/ed25519-fixtures.js';
import { hex, pkServer, unhex } from './helpers/ed25519-x25519.js';
import { X25519_VECTORS } from './helpers/x25519-fixtures.js';

/** The deterministic operations of both families, each answer written down (the worker must give the inline bytes). */
async function session(client: HsmClient): Promise<string[]> {
  const out: string[] = [];
  const put = (r: object) => out.push(JSON.stringify(r, (_, v) => (v instanceof Uint8Array ? hex(v) : v)));
  for (const [variant, v] of [['pure', ED25519_VECTORS.pure[3]!], ['ctx', ED25519_VECTORS.ctx[0]!], ['ph', ED25519_VECTORS.ph[1]!]] as const) {
    const key = ed25519PrivateDer(unhex(v.seed), unhex(v.publicKey));
    const o = { key, message: unhex(v.message), context: unhex(v.context ?? ''), variant };
    put(await client.crypto.ed25519.sign(o));
    put(await client.crypto.ed25519.verify({ ...o, signature: unhex(v.signature) }));
    put(await client.crypto.ed25519.verify({ ...o, signature: new Uint8Array(64) }));
  }
  const d = X25519_VECTORS.diffieHellman;
  const alice = x25519PrivateDer(unhex(d.alicePrivate), unhex(d.alicePublic));
  put(await client.crypto.curve25519.sharedSecret({ privateKey: alice, publicKey: x25519PublicDer(unhex(d.bobPublic)), endian: 'big' }));
  const { keyId } = await client.keyCache(0, Uint8Array.from([...unhex('302e020100300506032b656e04220420'), ...unhex(d.alicePrivate).reverse()]));
  put(await client.keyExportPublic(keyId, WhKeyAlgo.CURVE25519));
  return out;
}

const openPool = poolPerTest();

describe('Curve25519 and Ed25519 on the worker path (PoolEngine, every job in a worker thread)', () => {
  it('sign, verify, agreement and public-key export answer the inline bytes; key generation (the heaviest job) runs there too', async () => {
    // No inline table: a job that did not run in a worker would answer NOT_COMPILED_IN.
    const engine = openPool({ jobs: {}, inlineBelow: 0, threads: 1 });
    const pooled = pkServer({ engine });
    const expected = await session(pkServer().client);
    expect(expected.some((s) => s.includes('-174'))).toBe(false);
    expect(expected.filter((s) => s.includes('"valid":true'))).toHaveLength(3);
    expect(await session(pooled.client)).toEqual(expected);

    const g = await pooled.client.crypto.ed25519.generate({ ephemeral: true });
    if (!('privateKey' in g)) throw new Error(`keygen ${g.rc}`);
    expect(hex(g.privateKey.subarray(50))).toBe(hex(ed25519.getPublicKey(g.privateKey.subarray(16, 48))));
    const x = await pooled.client.crypto.curve25519.generate({ flags: NvmFlags.USAGE_DERIVE });
    expect([x.rc, 'publicKey' in x && x.publicKey.length]).toEqual([0, 44]);
    expect(engine.queued).toBe(0);
  });
});

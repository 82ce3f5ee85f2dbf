import { readFileSync } from 'node:fs';
import { shake128 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { MLDSA_KEY_CODEC } from '../../src/crypto/mldsa/der.js';
import type { MlDsaKeygenResult, MlDsaSignResult, MlDsaVerifyResult } from '../../src/crypto/mldsa/jobs.js';
import { MLDSA_PARAMS, mlDsa, type MlDsaLevelNumber } from '../../src/crypto/mldsa/params.js';
import type { CryptoEngine } from '../../src/crypto/engine.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pqcSetup } from './helpers/mldsa-pqc.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/mldsa/cctv-accumulated.json', import.meta.url), 'utf8')) as {
  iterations: number;
  expected: Record<string, string>;
};
const engine: CryptoEngine = new InlineEngine(CRYPTO_JOBS);
const EMPTY = new Uint8Array(0);
const ZERO_RND = new Uint8Array(32);

async function keygen(level: MlDsaLevelNumber, seed: Uint8Array) {
  const k = await engine.run<MlDsaKeygenResult>('mldsa.keygen', { level, seed }, 0);
  return { ...k, pk: MLDSA_KEY_CODEC.decode(k.publicKey)!.publicKey! };
}

/** Deterministic (rnd = 0) pure signature of `message` through the sign job. */
async function signDeterministic(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const r = await engine.run<MlDsaSignResult>('mldsa.sign', { key, message, context: EMPTY, preHashType: 0, rnd: ZERO_RND, maxSignature: 8172 }, 0);
  if (!('signature' in r)) throw new Error(`sign failed ${r.rc}`);
  return r.signature;
}

/** C2SP CCTV accumulated test (see the fixture's procedure), through the server's ML-DSA jobs. */
async function accumulated(level: MlDsaLevelNumber, n: number): Promise<string> {
  const seeds = shake128(EMPTY, { dkLen: 32 * n });
  const out = shake128.create({ dkLen: 32 });
  for (let i = 0; i < n; i++) {
    const k = await keygen(level, seeds.subarray(32 * i, 32 * i + 32));
    out.update(k.pk);
    const sig = await signDeterministic(k.privateKey, EMPTY);
    out.update(sig);
    const v = await engine.run<MlDsaVerifyResult>('mldsa.verify', { key: k.publicKey, signature: sig, message: EMPTY, context: EMPTY, preHashType: 0 }, 0);
    if (!('valid' in v) || !v.valid) throw new Error(`iteration ${i}: own signature rejected`);
  }
  return hex(out.digest());
}

describe('ML-DSA known answers (FIPS 204, C2SP CCTV accumulated vectors) through the server jobs', () => {
  for (const level of [2, 3, 5] as const) {
    const name = MLDSA_PARAMS[level].name;
    it(`${name}: ${fixture.iterations} key generations from seeds and deterministic signatures hash to the published value`, async () => {
      expect(await accumulated(level, fixture.iterations)).toBe(fixture.expected[name]);
    }, 60_000);
  }
});

describe('ML-DSA key encodings (wolfSSL 5.8.4 forms, spec-crypto 13)', () => {
  it('key pair DER: SEQUENCE { 0, AlgId { id-ml-dsa-44 }, OCTET STRING { OCTET STRING sk }, [1] pk } of 3904 bytes; SPKI 1334', async () => {
    const k = await keygen(2, new Uint8Array(32).fill(7));
    expect(k.privateKey.length).toBe(3904);
    expect(hex(k.privateKey.subarray(0, 28))).toBe('30820f3c020100300b0609608648016503040311' + '04820a0404820a00');
    expect(hex(k.privateKey.subarray(28 + 2560, 28 + 2560 + 4))).toBe('81820520');
    expect(hex(k.privateKey.subarray(28 + 2560 + 4))).toBe(hex(k.pk));
    expect(k.publicKey.length).toBe(1334);
    expect(hex(k.publicKey.subarray(0, 22))).toBe('30820532300b060960864801650304031103820521' + '00');
    const { secretKey, publicKey } = mlDsa(2).keygen(new Uint8Array(32).fill(7));
    expect(hex(k.privateKey.subarray(28, 28 + 2560))).toBe(hex(secretKey));
    expect(hex(k.pk)).toBe(hex(publicKey));
  });

  it('sizes per level: key pair 3904 / 6016 / 7520 (the cache reserve), SPKI 1334 / 1974 / 2614', async () => {
    const sizes = [];
    for (const level of [2, 3, 5] as const) {
      const k = await keygen(level, new Uint8Array(32).fill(level));
      sizes.push([k.privateKey.length, k.publicKey.length]);
    }
    expect(sizes).toEqual([
      [3904, 1334],
      [6016, 1974],
      [7520, 2614],
    ]);
  });
});

describe('ML-DSA through the server with a known-answer key', () => {
  it('the first CCTV seed (ML-DSA-44): cached as DER, the server verifies its deterministic signature and signs hedged signatures the library accepts', async () => {
    const seed = shake128(EMPTY, { dkLen: 32 });
    const k = await keygen(2, seed);
    const sig = await signDeterministic(k.privateKey, EMPTY);
    const { client } = await pqcSetup();
    const cached = await client.keyCache(0, k.privateKey, { flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY, label: 'kat' });
    expect(cached.rc).toBe(0);
    const mldsa = client.crypto.mldsa;
    expect(await mldsa.verify({ keyId: cached.keyId, signature: sig, message: EMPTY })).toEqual({ rc: 0, valid: true });
    expect(await mldsa.verify({ keyId: cached.keyId, signature: sig, message: Uint8Array.of(0) })).toEqual({ rc: 0, valid: false });
    const message = new TextEncoder().encode('hedged');
    const a = await mldsa.sign({ keyId: cached.keyId, message });
    const b = await mldsa.sign({ keyId: cached.keyId, message });
    if (!('signature' in a) || !('signature' in b)) throw new Error('sign failed');
    expect(a.signature.length).toBe(2420);
    expect(mlDsa(2).verify(a.signature, message, k.pk)).toBe(true);
    expect(mlDsa(2).verify(b.signature, message, k.pk)).toBe(true);
    expect(hex(a.signature)).not.toBe(hex(b.signature)); // server randomness in every signature
  });
});

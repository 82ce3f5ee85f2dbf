import { readFileSync } from 'node:fs';
import { shake128 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import type { CryptoEngine } from '../../src/crypto/engine.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import type { MlKemDecapsResult, MlKemEncapsResult, MlKemKeygenResult } from '../../src/crypto/mlkem/jobs.js';
import { MLKEM_PARAMS, mlKem, type MlKemLevelNumber } from '../../src/crypto/mlkem/params.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pqcSetup, unhex } from './helpers/mldsa-pqc.js';

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/mlkem/${name}`, import.meta.url), 'utf8')) as T;
const cctv = load<{ cases: { parameterSet: string; d: string; z: string; m: string; K: string; ek?: string; dk?: string; c?: string }[] }>('cctv-unluckysample.json');
const go = load<{ cast: { d: string; z: string; m: string; K: string }; accumulated: { iterations: number; expected: string } }>('go-fips140.json');

const engine: CryptoEngine = new InlineEngine(CRYPTO_JOBS);
const LEVEL: Record<string, MlKemLevelNumber> = { 'ML-KEM-512': 0, 'ML-KEM-768': 1, 'ML-KEM-1024': 2 };
const NO_LIMIT = 8172;

const keygen = (level: MlKemLevelNumber, seed: Uint8Array) => engine.run<MlKemKeygenResult>('mlkem.keygen', { level, seed }, 0);
async function encaps(key: Uint8Array, level: MlKemLevelNumber, m: Uint8Array) {
  const r = await engine.run<MlKemEncapsResult>('mlkem.encapsulate', { key, level, m, maxOut: NO_LIMIT }, 0);
  if (!('ct' in r)) throw new Error(`encapsulate failed ${r.rc}`);
  return r;
}
async function decaps(key: Uint8Array, level: MlKemLevelNumber, ct: Uint8Array) {
  const r = await engine.run<MlKemDecapsResult>('mlkem.decapsulate', { key, level, ct, maxOut: NO_LIMIT }, 0);
  if (!('ss' in r)) throw new Error(`decapsulate failed ${r.rc}`);
  return r.ss;
}

describe('ML-KEM known answers (FIPS 203 final) through the server jobs', () => {
  for (const c of cctv.cases) {
    it(`${c.parameterSet} (C2SP CCTV unlucky-sample vector): keygen(d, z), encapsulate(m) gives K; decapsulation of that ciphertext gives K`, async () => {
      const level = LEVEL[c.parameterSet]!;
      const k = await keygen(level, unhex(c.d + c.z));
      expect([k.dk.length, k.ek.length]).toEqual([MLKEM_PARAMS[level].dk, MLKEM_PARAMS[level].ek]);
      if (c.dk) expect(hex(k.dk)).toBe(c.dk);
      if (c.ek) expect(hex(k.ek)).toBe(c.ek);
      const e = await encaps(k.ek, level, unhex(c.m));
      expect(hex(e.ss)).toBe(c.K);
      if (c.c) expect(hex(e.ct)).toBe(c.c);
      expect(hex(await decaps(k.dk, level, e.ct))).toBe(c.K);
      // Encapsulation from a stored dk uses the ek inside it: same answer.
      expect(hex((await encaps(k.dk, level, unhex(c.m))).ct)).toBe(hex(e.ct));
    });
  }

  it('ML-KEM-768 (Go FIPS 140-3 self-test): d = 01..20, z = 21..40, m = 41..60 gives K 5501fc52...', async () => {
    const k = await keygen(1, unhex(go.cast.d + go.cast.z));
    const e = await encaps(k.ek, 1, unhex(go.cast.m));
    expect(hex(e.ss)).toBe(go.cast.K);
    expect(hex(await decaps(k.dk, 1, e.ct))).toBe(go.cast.K);
  });

  it(`ML-KEM-768: Go's accumulated test (${go.accumulated.iterations} keys, encapsulations, implicit rejections) hashes to the published value`, async () => {
    const ctLen = MLKEM_PARAMS[1].ct;
    const n = go.accumulated.iterations;
    const stream = shake128(new Uint8Array(0), { dkLen: n * (64 + 32 + ctLen) });
    let at = 0;
    const take = (len: number) => stream.subarray(at, (at += len));
    const out = shake128.create({ dkLen: 32 });
    for (let i = 0; i < n; i++) {
      const k = await keygen(1, take(64));
      out.update(k.ek);
      const e = await encaps(k.ek, 1, take(32));
      out.update(e.ct).update(e.ss);
      expect(hex(await decaps(k.dk, 1, e.ct))).toBe(hex(e.ss));
      out.update(await decaps(k.dk, 1, take(ctLen)));
    }
    expect(hex(out.digest())).toBe(go.accumulated.expected);
  }, 30_000);
});

describe('ML-KEM through the server with known-answer keys (stored raw, spec-crypto 14)', () => {
  const kat = cctv.cases.find((c) => c.parameterSet === 'ML-KEM-512')!;

  it('ML-KEM-512 dk cached with KEY CACHE: the server decapsulates the vector ciphertext to the vector K', async () => {
    const { client } = await pqcSetup();
    const { rc, keyId } = await client.keyCache(0, unhex(kat.dk!), { flags: NvmFlags.USAGE_DERIVE, label: 'kat dk' });
    expect(rc).toBe(0);
    const r = await client.crypto.mlkem.decapsulate({ keyId, level: 512, ciphertext: unhex(kat.c!) });
    expect(r).toEqual({ rc: 0, sharedSecret: unhex(kat.K) });
    // One flipped ciphertext bit: FIPS 203 implicit rejection (a different, still 32-byte secret).
    const bad = unhex(kat.c!);
    bad[100]! ^= 1;
    const rej = await client.crypto.mlkem.decapsulate({ keyId, level: 512, ciphertext: bad });
    if (!('sharedSecret' in rej)) throw new Error(`rc ${rej.rc}`);
    expect(rej.sharedSecret.length).toBe(32);
    expect(hex(rej.sharedSecret)).not.toBe(kat.K);
    expect(hex(rej.sharedSecret)).toBe(hex(mlKem(0).decapsulate(bad, unhex(kat.dk!))));
  });

  it('ML-KEM-512 ek cached: the server encapsulates with its own randomness; the vector dk recovers the secret', async () => {
    const { client } = await pqcSetup();
    const { keyId } = await client.keyCache(0, unhex(kat.ek!), { flags: NvmFlags.USAGE_DERIVE });
    const a = await client.crypto.mlkem.encapsulate({ keyId, level: 512 });
    const b = await client.crypto.mlkem.encapsulate({ keyId, level: 512 });
    if (!('ciphertext' in a) || !('ciphertext' in b)) throw new Error('encapsulate failed');
    expect([a.ciphertext.length, a.sharedSecret.length]).toEqual([768, 32]);
    expect(hex(mlKem(0).decapsulate(a.ciphertext, unhex(kat.dk!)))).toBe(hex(a.sharedSecret));
    expect(hex(b.sharedSecret)).not.toBe(hex(a.sharedSecret));
  });
});

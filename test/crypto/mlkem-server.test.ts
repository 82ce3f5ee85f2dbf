import { describe, expect, it } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import type { MlKemSet } from '../../src/client/crypto/mlkem.js';
import { MLKEM_FAMILY, mlKem, type MlKemLevelNumber } from '../../src/crypto/mlkem/params.js';
import { WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { body, hex, pkRequest, pqcSetup } from './helpers/mldsa-pqc.js';

const DERIVE = NvmFlags.USAGE_DERIVE;
const LEVEL: Record<MlKemSet, MlKemLevelNumber> = { 512: 0, 768: 1, 1024: 2 };

/** A key pair made outside the server (seeded), its dk (or ek) cached with `flags`. */
async function cachedKey(client: HsmClient, set: MlKemSet, flags: number, which: 'dk' | 'ek' = 'dk', seedByte = 1) {
  const { secretKey, publicKey } = mlKem(LEVEL[set]).keygen(new Uint8Array(64).fill(seedByte));
  const r = await client.keyCache(0, which === 'dk' ? secretKey : publicKey, { flags, label: 'kem' });
  if (r.rc !== 0) throw new Error(`cache rc ${r.rc}`);
  return { keyId: r.keyId, dk: secretKey, ek: publicKey };
}

describe('ML-KEM key generation (PQC_KEM_KEYGEN 18, spec-crypto 14)', () => {
  it('EPHEMERAL returns the raw dk (keyId 0x0100); cached stores dk and answers ek, which EXPORT_PUBLIC also returns', async () => {
    const { client } = await pqcSetup();
    const sizes = [];
    for (const level of [512, 768, 1024] as const) {
      const e = await client.crypto.mlkem.generate({ level, ephemeral: true });
      if (!('privateKey' in e)) throw new Error(`rc ${e.rc}`);
      expect(e.keyId).toBe(0x0100);
      const c = await client.crypto.mlkem.generate({ level, flags: DERIVE, label: `kem-${level}` });
      if (!('publicKey' in c)) throw new Error(`rc ${c.rc}`);
      sizes.push([e.privateKey.length, c.publicKey.length]);
      // dk embeds its ek: the ephemeral key is a FIPS 203 key pair the library can use.
      const ss = mlKem(LEVEL[level]).encapsulate(mlKem(LEVEL[level]).getPublicKey(e.privateKey));
      expect(hex(mlKem(LEVEL[level]).decapsulate(ss.cipherText, e.privateKey))).toBe(hex(ss.sharedSecret));
      const exported = await client.keyExportPublic(c.keyId, WhKeyAlgo.MLKEM);
      expect({ rc: exported.rc, ek: hex(exported.publicKey) }).toEqual({ rc: 0, ek: hex(c.publicKey) });
      expect(new TextDecoder().decode(exported.label.subarray(0, 3 + String(level).length + 1))).toBe(`kem-${level}`);
      expect((await client.keyExport(c.keyId)).data.length).toBe(e.privateKey.length); // dk is what is stored
    }
    expect(sizes).toEqual([
      [1632, 800],
      [2400, 1184],
      [3168, 1568],
    ]);
  });

  it('cached ids are unique from 255 down and flags lose TRUSTED; every cached key reserves 3168 bytes (BADARGS with 1200-byte big slots, NOSPACE past three)', async () => {
    const { client } = await pqcSetup();
    const a = await client.crypto.mlkem.generate({ level: 512, flags: DERIVE | NvmFlags.TRUSTED });
    const b = await client.crypto.mlkem.generate({ level: 512, flags: DERIVE });
    const c = await client.crypto.mlkem.generate({ level: 512, flags: DERIVE });
    expect([a, b, c].map((r) => ('keyId' in r ? r.keyId : r.rc))).toEqual([0xff, 0xfe, 0xfd]);
    expect((await client.keyExport(0xff)).rc).toBe(0); // TRUSTED would refuse export
    expect((await client.crypto.mlkem.generate({ level: 512, flags: DERIVE })).rc).toBe(-2105);
    const small = await pqcSetup({ config: { keyCacheBigBufSize: 1200 } });
    expect((await small.client.crypto.mlkem.generate({ level: 512, flags: DERIVE })).rc).toBe(-2000);
    expect((await small.client.crypto.mlkem.generate({ level: 512, ephemeral: true })).rc).toBe(0);
  });

  it('outputs that do not fit the response (a 1500-byte comm buffer): EPHEMERAL dk and ciphertext plus secret are BADARGS; a cached key without room for ek answers no ek', async () => {
    const { client } = await pqcSetup({ config: { dataLen: 1500 } });
    expect((await client.crypto.mlkem.generate({ level: 512, ephemeral: true })).rc).toBe(-2000); // 1632 > 1480
    const k512 = await client.crypto.mlkem.generate({ level: 512, flags: DERIVE });
    if (!('keyId' in k512)) throw new Error(`rc ${k512.rc}`);
    expect([k512.keyId, k512.publicKey.length]).toEqual([0xff, 800]);
    const k1024 = await client.crypto.mlkem.generate({ level: 1024, flags: DERIVE });
    if (!('keyId' in k1024)) throw new Error(`rc ${k1024.rc}`);
    expect(k1024.publicKey.length).toBe(0); // 1568 > 1480: the key is cached all the same
    expect((await client.crypto.mlkem.encapsulate({ keyId: k1024.keyId, level: 1024 })).rc).toBe(-2000); // 1568 + 32 > 1480
    expect((await client.crypto.mlkem.encapsulate({ keyId: k512.keyId, level: 512 })).rc).toBe(0);
  });

  it('level other than 0/1/2 is BADARGS, as is a request shorter than its struct', async () => {
    const { client } = await pqcSetup();
    for (const level of [3, 512, 768, 0xffffffff]) {
      expect((await pkRequest(client, WcPk.PQC_KEM_KEYGEN, MLKEM_FAMILY, body(52, { 12: level, 20: NvmFlags.EPHEMERAL }))).rc, `level ${level}`).toBe(-2000);
    }
    expect((await pkRequest(client, WcPk.PQC_KEM_KEYGEN, MLKEM_FAMILY, body(51, { 12: 0, 20: NvmFlags.EPHEMERAL }))).rc).toBe(-2000);
    const ok = await pkRequest(client, WcPk.PQC_KEM_KEYGEN, MLKEM_FAMILY, body(52, { 12: 0, 20: NvmFlags.EPHEMERAL }));
    expect([ok.rc, ok.bytes.length]).toEqual([0, 20 + 1632]);
  });
});

describe('ML-KEM encapsulate / decapsulate (PQC_KEM_ENCAPS 19 / PQC_KEM_DECAPS 20)', () => {
  it('round trip at every level with a server key; encapsulation takes server randomness each time', async () => {
    const { client } = await pqcSetup();
    for (const level of [512, 768, 1024] as const) {
      const g = await client.crypto.mlkem.generate({ level, flags: DERIVE });
      if (!('keyId' in g)) throw new Error(`rc ${g.rc}`);
      const a = await client.crypto.mlkem.encapsulate({ keyId: g.keyId, level });
      const b = await client.crypto.mlkem.encapsulate({ keyId: g.keyId, level });
      if (!('ciphertext' in a) || !('ciphertext' in b)) throw new Error('encapsulate failed');
      expect(hex(a.ciphertext)).not.toBe(hex(b.ciphertext));
      expect(await client.crypto.mlkem.decapsulate({ keyId: g.keyId, level, ciphertext: a.ciphertext })).toEqual({ rc: 0, sharedSecret: a.sharedSecret });
      // The library encapsulates to the ek the server returned; the server decapsulates.
      const theirs = mlKem(LEVEL[level]).encapsulate(g.publicKey);
      expect(await client.crypto.mlkem.decapsulate({ keyId: g.keyId, level, ciphertext: theirs.cipherText })).toEqual({ rc: 0, sharedSecret: theirs.sharedSecret });
    }
  });

  it('both operations need DERIVE (-2009); a revoked key has none', async () => {
    const { client } = await pqcSetup();
    const noDerive = await cachedKey(client, 768, NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_DECRYPT | NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY | NvmFlags.USAGE_WRAP);
    const ct = mlKem(1).encapsulate(noDerive.ek).cipherText;
    expect((await client.crypto.mlkem.encapsulate({ keyId: noDerive.keyId, level: 768 })).rc).toBe(-2009);
    expect((await client.crypto.mlkem.decapsulate({ keyId: noDerive.keyId, level: 768, ciphertext: ct })).rc).toBe(-2009);
    const ok = await cachedKey(client, 768, DERIVE, 'dk', 2);
    expect((await client.crypto.mlkem.encapsulate({ keyId: ok.keyId, level: 768 })).rc).toBe(0);
    expect(await client.keyRevoke(ok.keyId)).toBe(0);
    expect((await client.crypto.mlkem.encapsulate({ keyId: ok.keyId, level: 768 })).rc).toBe(-2009);
  });

  it('the request level must be the key\'s (BADARGS), and must be a level at all (BADARGS, checked before the key is read)', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, 768, DERIVE);
    const ct = mlKem(1).encapsulate(k.ek).cipherText;
    expect((await client.crypto.mlkem.encapsulate({ keyId: k.keyId, level: 512 })).rc).toBe(-2000);
    expect((await client.crypto.mlkem.decapsulate({ keyId: k.keyId, level: 1024, ciphertext: ct })).rc).toBe(-2000);
    expect((await pkRequest(client, WcPk.PQC_KEM_ENCAPS, MLKEM_FAMILY, body(28, { 16: 7, 20: k.keyId }))).rc).toBe(-2000);
    expect((await pkRequest(client, WcPk.PQC_KEM_ENCAPS, MLKEM_FAMILY, body(28, { 16: 7, 20: 0x42 }))).rc).toBe(-2104); // usage/lookup first
  });

  it('a ciphertext of the wrong length is wolfCrypt BUFFER_E; ctSz beyond the request BADARGS; an ek-only key cannot decapsulate (BAD_STATE_E) but encapsulates', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, 512, DERIVE);
    const ct = mlKem(0).encapsulate(k.ek).cipherText;
    expect((await client.crypto.mlkem.decapsulate({ keyId: k.keyId, level: 512, ciphertext: ct.subarray(1) })).rc).toBe(-132);
    expect((await client.crypto.mlkem.decapsulate({ keyId: k.keyId, level: 512, ciphertext: new Uint8Array(769) })).rc).toBe(-132);
    expect((await pkRequest(client, WcPk.PQC_KEM_DECAPS, MLKEM_FAMILY, body(28, { 16: 0, 20: k.keyId, 24: 768 }, ct.subarray(0, 767)))).rc).toBe(-2000);
    const pub = await cachedKey(client, 512, DERIVE, 'ek');
    expect((await client.crypto.mlkem.decapsulate({ keyId: pub.keyId, level: 512, ciphertext: ct })).rc).toBe(-192);
    const e = await client.crypto.mlkem.encapsulate({ keyId: pub.keyId, level: 512 });
    if (!('ciphertext' in e)) throw new Error(`rc ${e.rc}`);
    expect(hex(mlKem(0).decapsulate(e.ciphertext, k.dk))).toBe(hex(e.sharedSecret));
  });

  it('a stored key of no ML-KEM size is wolfCrypt BUFFER_E for both operations and EXPORT_PUBLIC; an ek failing the FIPS 203 modulus check is BAD_FUNC_ARG', async () => {
    const { client } = await pqcSetup();
    const junk = await client.keyCache(0, new Uint8Array(1000).fill(3), { flags: DERIVE });
    expect((await client.crypto.mlkem.encapsulate({ keyId: junk.keyId, level: 512 })).rc).toBe(-132);
    expect((await client.crypto.mlkem.decapsulate({ keyId: junk.keyId, level: 512, ciphertext: new Uint8Array(768) })).rc).toBe(-132);
    expect((await client.keyExportPublic(junk.keyId, WhKeyAlgo.MLKEM)).rc).toBe(-132);
    const badEk = new Uint8Array(800).fill(0xff); // coefficients 4095 > q
    const bad = await client.keyCache(0, badEk, { flags: DERIVE });
    expect((await client.crypto.mlkem.encapsulate({ keyId: bad.keyId, level: 512 })).rc).toBe(-173);
  });

  it('EVICT drops the key after the operation, also after a failure; key number 0 and short requests are BADARGS', async () => {
    const { client } = await pqcSetup();
    const a = await cachedKey(client, 512, DERIVE);
    expect((await client.crypto.mlkem.encapsulate({ keyId: a.keyId, level: 512, evict: true })).rc).toBe(0);
    expect((await client.crypto.mlkem.encapsulate({ keyId: a.keyId, level: 512 })).rc).toBe(-2104);
    const b = await cachedKey(client, 512, DERIVE);
    expect((await client.crypto.mlkem.decapsulate({ keyId: b.keyId, level: 1024, ciphertext: new Uint8Array(768), evict: true })).rc).toBe(-2000);
    expect((await client.crypto.mlkem.encapsulate({ keyId: b.keyId, level: 512 })).rc).toBe(-2104);
    const c = await cachedKey(client, 512, NvmFlags.USAGE_SIGN);
    expect((await client.crypto.mlkem.encapsulate({ keyId: c.keyId, level: 512, evict: true })).rc).toBe(-2009);
    expect((await client.crypto.mlkem.encapsulate({ keyId: c.keyId, level: 512 })).rc).toBe(-2104);
    expect((await client.crypto.mlkem.encapsulate({ keyId: 0, level: 512 })).rc).toBe(-2000);
    expect((await client.crypto.mlkem.decapsulate({ keyId: 0x100, level: 512, ciphertext: new Uint8Array(768) })).rc).toBe(-2000);
    expect((await pkRequest(client, WcPk.PQC_KEM_ENCAPS, MLKEM_FAMILY, body(27, {}))).rc).toBe(-2000);
    expect((await pkRequest(client, WcPk.PQC_KEM_DECAPS, MLKEM_FAMILY, body(27, {}))).rc).toBe(-2000);
  });

  it('a raw key held by the client is imported with DERIVE for one operation and evicted (any number through three big slots)', async () => {
    const { client } = await pqcSetup();
    const { secretKey, publicKey } = mlKem(2).keygen(new Uint8Array(64).fill(9));
    for (let i = 0; i < 5; i++) {
      const e = await client.crypto.mlkem.encapsulate({ key: publicKey, level: 1024 });
      if (!('ciphertext' in e)) throw new Error(`rc ${e.rc}`);
      expect(await client.crypto.mlkem.decapsulate({ key: secretKey, level: 1024, ciphertext: e.ciphertext })).toEqual({ rc: 0, sharedSecret: e.sharedSecret });
    }
  });

  it('another KEM family (algoSubType) is NOHANDLER for all three types', async () => {
    const { client } = await pqcSetup();
    for (const type of [WcPk.PQC_KEM_KEYGEN, WcPk.PQC_KEM_ENCAPS, WcPk.PQC_KEM_DECAPS]) {
      const r = await pkRequest(client, type, 0, body(52, { 20: NvmFlags.EPHEMERAL }));
      expect({ type, algoType: r.algoType, rc: r.rc, len: r.bytes.length }).toEqual({ type, algoType: type, rc: -2007, len: 12 });
    }
  });
});

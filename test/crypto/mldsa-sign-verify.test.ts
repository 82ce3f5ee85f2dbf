import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_256, sha3_512 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { MLDSA_KEY_CODEC } from '../../src/crypto/mldsa/der.js';
import { MLDSA_FAMILY, mlDsa, type MlDsaLevelNumber } from '../../src/crypto/mldsa/params.js';
import { WcHash, WcPk } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { body, hex, pkRequest, pqcSetup } from './helpers/mldsa-pqc.js';

const SIGN = NvmFlags.USAGE_SIGN;
const VERIFY = NvmFlags.USAGE_VERIFY;
const text = (s: string) => new TextEncoder().encode(s);
const message = text('the message');
const context = text('ctx');

/** A key generated outside the server (seeded), cached by KEY CACHE with `flags`. */
async function cachedKey(client: HsmClient, flags: number, level: MlDsaLevelNumber = 2, seedByte = 1) {
  const { secretKey, publicKey } = mlDsa(level).keygen(new Uint8Array(32).fill(seedByte));
  const der = MLDSA_KEY_CODEC.encodeKeyPair(level, secretKey, publicKey);
  const r = await client.keyCache(0, der, { flags, label: 'test' });
  if (r.rc !== 0) throw new Error(`cache rc ${r.rc}`);
  return { keyId: r.keyId, publicKey, secretKey, der };
}

async function signature(client: HsmClient, o: Parameters<HsmClient['crypto']['mldsa']['sign']>[0]): Promise<Uint8Array> {
  const r = await client.crypto.mldsa.sign(o);
  if (!('signature' in r)) throw new Error(`sign rc ${r.rc}`);
  return r.signature;
}

describe('ML-DSA sign and verify (PQC_SIG_SIGN 22 / PQC_SIG_VERIFY 23)', () => {
  it('pure ML-DSA with a context: the library verifies server signatures and the server verifies library signatures; the context binds', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, SIGN | VERIFY);
    const sig = await signature(client, { keyId: k.keyId, message, context });
    expect(mlDsa(2).verify(sig, message, k.publicKey, { context })).toBe(true);
    expect(mlDsa(2).verify(sig, message, k.publicKey, { context: text('cty') })).toBe(false);
    expect(mlDsa(2).verify(sig, message, k.publicKey)).toBe(false);
    const theirs = mlDsa(2).sign(message, k.secretKey, { context });
    expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: theirs, message, context })).toEqual({ rc: 0, valid: true });
    expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: theirs, message })).toEqual({ rc: 0, valid: false });
    const flipped = theirs.slice();
    flipped[10]! ^= 0x01;
    expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: flipped, message, context })).toEqual({ rc: 0, valid: false });
  });

  it('HashML-DSA: the message field is the client digest, M\' carries the hash OID (cross-checked with the library prehash signer both ways)', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, SIGN | VERIFY);
    const cases = [
      { hash: sha256, type: WcHash.SHA256 },
      { hash: sha512, type: WcHash.SHA512 },
      { hash: sha3_256, type: WcHash.SHA3_256 },
      { hash: sha3_512, type: WcHash.SHA3_512 },
    ];
    for (const { hash, type } of cases) {
      const digest = hash(message);
      const sig = await signature(client, { keyId: k.keyId, message: digest, context, preHash: type });
      expect(mlDsa(2).prehash(hash).verify(sig, message, k.publicKey, { context }), `type ${type}`).toBe(true);
      expect(mlDsa(2).verify(sig, digest, k.publicKey, { context }), 'not a pure signature').toBe(false);
      const theirs = mlDsa(2).prehash(hash).sign(message, k.secretKey, { context });
      expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: theirs, message: digest, context, preHash: type })).toEqual({ rc: 0, valid: true });
      expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: theirs, message: digest, context })).toEqual({ rc: 0, valid: false });
    }
    // The same digest announced as another hash is another M'.
    const sig = await signature(client, { keyId: k.keyId, message: sha256(message), preHash: WcHash.SHA256 });
    expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: sig, message: sha256(message), preHash: WcHash.SHA3_256 })).toEqual({ rc: 0, valid: false });
  });

  it('HashML-DSA errors: a hash type wolfCrypt has no OID for is BAD_FUNC_ARG, a digest over 64 bytes BUFFER_E', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, SIGN | VERIFY);
    expect((await client.crypto.mldsa.sign({ keyId: k.keyId, message: sha256(message), preHash: 14 })).rc).toBe(-173); // BLAKE2b
    expect((await client.crypto.mldsa.sign({ keyId: k.keyId, message: sha256(message), preHash: 99 })).rc).toBe(-173);
    expect((await client.crypto.mldsa.sign({ keyId: k.keyId, message: new Uint8Array(65), preHash: WcHash.SHA512 })).rc).toBe(-132);
    const sig = mlDsa(2).sign(message, k.secretKey);
    expect((await client.crypto.mldsa.verify({ keyId: k.keyId, signature: sig, message: sha256(message), preHash: 99 })).rc).toBe(-173);
  });

  it('contexts up to 255 bytes; 256 is BADARGS for both; a signature of the wrong size is BUFFER_E, a wrong one res 0', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, SIGN | VERIFY);
    const long = new Uint8Array(255).fill(9);
    const sig = await signature(client, { keyId: k.keyId, message, context: long });
    expect(mlDsa(2).verify(sig, message, k.publicKey, { context: long })).toBe(true);
    expect((await client.crypto.mldsa.sign({ keyId: k.keyId, message, context: new Uint8Array(256) })).rc).toBe(-2000);
    expect((await client.crypto.mldsa.verify({ keyId: k.keyId, signature: sig, message, context: new Uint8Array(256) })).rc).toBe(-2000);
    expect((await client.crypto.mldsa.verify({ keyId: k.keyId, signature: sig.subarray(1), message, context: long })).rc).toBe(-132);
    expect(await client.crypto.mldsa.verify({ keyId: k.keyId, signature: new Uint8Array(2420), message, context: long })).toEqual({ rc: 0, valid: false });
  });

  it('the request level is ignored (the key\'s is used); ML-DSA-87 signs the largest message a request holds (8156 bytes) and verifies 3521 bytes', async () => {
    const { client } = await pqcSetup();
    const k44 = await cachedKey(client, SIGN | VERIFY, 2);
    const s44 = await signature(client, { keyId: k44.keyId, message, level: 87 });
    expect(s44.length).toBe(2420);
    const k87 = await cachedKey(client, SIGN | VERIFY, 5, 2);
    const big = new Uint8Array(8192 - 36).fill(0x5a);
    const s87 = await signature(client, { keyId: k87.keyId, message: big });
    expect(s87.length).toBe(4627);
    expect(mlDsa(5).verify(s87, big, k87.publicKey)).toBe(true);
    const most = big.subarray(0, 8192 - 44 - 4627);
    const s = mlDsa(5).sign(most, k87.secretKey);
    expect(await client.crypto.mldsa.verify({ keyId: k87.keyId, signature: s, message: most })).toEqual({ rc: 0, valid: true });
  });

  it('a signature larger than the response room is BUFFER_E (ML-DSA-87 with a 4096-byte comm buffer)', async () => {
    const { client } = await pqcSetup({ config: { dataLen: 4096 } });
    const k87 = await cachedKey(client, SIGN, 5);
    expect((await client.crypto.mldsa.sign({ keyId: k87.keyId, message })).rc).toBe(-132);
    const k65 = await cachedKey(client, SIGN, 3);
    expect((await client.crypto.mldsa.sign({ keyId: k65.keyId, message })).rc).toBe(0); // 3309 fits
  });
});

describe('ML-DSA key use: usage flags, EVICT, stored forms', () => {
  it('sign needs SIGN and verify needs VERIFY (-2009), whatever else the key allows', async () => {
    const { client } = await pqcSetup();
    const verifyOnly = await cachedKey(client, VERIFY | NvmFlags.USAGE_DERIVE | NvmFlags.USAGE_ENCRYPT);
    const signOnly = await cachedKey(client, SIGN | NvmFlags.USAGE_DECRYPT, 2, 2);
    expect((await client.crypto.mldsa.sign({ keyId: verifyOnly.keyId, message })).rc).toBe(-2009);
    expect((await client.crypto.mldsa.sign({ keyId: signOnly.keyId, message })).rc).toBe(0);
    const sig = mlDsa(2).sign(message, signOnly.secretKey);
    expect((await client.crypto.mldsa.verify({ keyId: signOnly.keyId, signature: sig, message })).rc).toBe(-2009);
    const sig2 = mlDsa(2).sign(message, verifyOnly.secretKey);
    expect(await client.crypto.mldsa.verify({ keyId: verifyOnly.keyId, signature: sig2, message })).toEqual({ rc: 0, valid: true });
    // A revoked key keeps no usage bits.
    expect(await client.keyRevoke(signOnly.keyId)).toBe(0);
    expect((await client.crypto.mldsa.sign({ keyId: signOnly.keyId, message })).rc).toBe(-2009);
  });

  it('EVICT drops the key after the operation, also after a failed one (usage); key number 0 is BADARGS', async () => {
    const { client } = await pqcSetup();
    const a = await cachedKey(client, SIGN | VERIFY);
    expect((await client.crypto.mldsa.sign({ keyId: a.keyId, message, evict: true })).rc).toBe(0);
    expect((await client.crypto.mldsa.sign({ keyId: a.keyId, message })).rc).toBe(-2104);
    const b = await cachedKey(client, VERIFY);
    expect((await client.crypto.mldsa.sign({ keyId: b.keyId, message, evict: true })).rc).toBe(-2009);
    expect((await client.crypto.mldsa.verify({ keyId: b.keyId, signature: new Uint8Array(2420), message })).rc).toBe(-2104);
    const c = await cachedKey(client, VERIFY);
    expect(await client.crypto.mldsa.verify({ keyId: c.keyId, signature: new Uint8Array(2420), message, evict: true })).toEqual({ rc: 0, valid: false });
    expect((await client.crypto.mldsa.verify({ keyId: c.keyId, signature: new Uint8Array(2420), message })).rc).toBe(-2104);
    expect((await client.crypto.mldsa.sign({ keyId: 0, message })).rc).toBe(-2000);
    expect((await client.crypto.mldsa.verify({ keyId: 0x0100, signature: new Uint8Array(2420), message })).rc).toBe(-2000);
  });

  it('sizes that overrun the request are BADARGS without the EVICT step (wolfHSM returns before it); a short request is BADARGS', async () => {
    const { client } = await pqcSetup();
    const k = await cachedKey(client, SIGN | VERIFY);
    // sign: options EVICT, keyId, sz 10 but only 4 message bytes present.
    const r = await pkRequest(client, WcPk.PQC_SIG_SIGN, MLDSA_FAMILY, body(36, { 12: 1, 20: k.keyId, 24: 10 }, new Uint8Array(4)));
    expect(r.rc).toBe(-2000);
    const v = await pkRequest(client, WcPk.PQC_SIG_VERIFY, MLDSA_FAMILY, body(44, { 12: 1, 20: k.keyId, 24: 2420, 28: 5 }, new Uint8Array(2420)));
    expect(v.rc).toBe(-2000);
    expect((await client.crypto.mldsa.sign({ keyId: k.keyId, message })).rc).toBe(0); // still cached
    expect((await pkRequest(client, WcPk.PQC_SIG_SIGN, MLDSA_FAMILY, body(20, {}))).rc).toBe(-2000);
    expect((await pkRequest(client, WcPk.PQC_SIG_VERIFY, MLDSA_FAMILY, body(30, {}))).rc).toBe(-2000);
  });

  it('a cached public key (SPKI) verifies but cannot sign (BAD_FUNC_ARG); bytes that are no ML-DSA key fail at use with ASN_PARSE_E', async () => {
    const { client } = await pqcSetup();
    const { secretKey, publicKey } = mlDsa(3).keygen(new Uint8Array(32).fill(4));
    const spki = MLDSA_KEY_CODEC.encodePublic(3, publicKey);
    const pub = await client.keyCache(0, spki, { flags: SIGN | VERIFY });
    expect((await client.crypto.mldsa.sign({ keyId: pub.keyId, message })).rc).toBe(-173);
    const sig = mlDsa(3).sign(message, secretKey);
    expect(await client.crypto.mldsa.verify({ keyId: pub.keyId, signature: sig, message })).toEqual({ rc: 0, valid: true });
    const junk = await client.keyCache(0, new Uint8Array(300).fill(0x30), { flags: SIGN | VERIFY });
    expect(junk.rc).toBe(0); // caching does not look at the bytes
    expect((await client.crypto.mldsa.sign({ keyId: junk.keyId, message })).rc).toBe(-140);
    expect((await client.crypto.mldsa.verify({ keyId: junk.keyId, signature: sig, message })).rc).toBe(-140);
  });

  it('a key held by the client is imported for one operation and evicted by it (three big slots serve any number of them)', async () => {
    const { client } = await pqcSetup();
    const { secretKey, publicKey } = mlDsa(2).keygen(new Uint8Array(32).fill(5));
    const der = MLDSA_KEY_CODEC.encodeKeyPair(2, secretKey, publicKey);
    for (let i = 0; i < 5; i++) {
      const sig = await signature(client, { key: der, message });
      expect(await client.crypto.mldsa.verify({ key: MLDSA_KEY_CODEC.encodePublic(2, publicKey), signature: sig, message })).toEqual({ rc: 0, valid: true });
    }
  });
});

describe('ML-DSA family routing', () => {
  it('another signature family (algoSubType) is NOHANDLER for every ML-DSA PK type; CHECK_PRIV_KEY is NOHANDLER always', async () => {
    const { client } = await pqcSetup();
    for (const type of [WcPk.PQC_SIG_KEYGEN, WcPk.PQC_SIG_SIGN, WcPk.PQC_SIG_VERIFY, WcPk.PQC_SIG_CHECK_PRIV_KEY]) {
      const r = await pkRequest(client, type, 2, body(56, { 16: 2, 24: NvmFlags.EPHEMERAL }));
      expect({ type, algoType: r.algoType, rc: r.rc, len: r.bytes.length }).toEqual({ type, algoType: type, rc: -2007, len: 12 });
    }
    const k = await cachedKey(client, SIGN | VERIFY);
    const check = await pkRequest(client, WcPk.PQC_SIG_CHECK_PRIV_KEY, MLDSA_FAMILY, body(44, { 20: k.keyId }));
    expect({ rc: check.rc, bytes: hex(check.bytes) }).toEqual({ rc: -2007, bytes: '18000000' + '29f8ffff' + '00000000' });
  });
});

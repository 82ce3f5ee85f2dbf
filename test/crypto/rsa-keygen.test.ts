import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import type { PublicKeyArgs, PublicKeyResult } from '../../src/crypto/public-key.js';
import { RsaOp } from '../../src/crypto/rsa/messages.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { derOf, hex, rsaClient } from './helpers/rsa.js';

const F = NvmFlags;
const spkiOf = (pkcs1: Uint8Array) => derOf(createPublicKey(createPrivateKey({ key: Buffer.from(pkcs1), format: 'der', type: 'pkcs1' })), 'spki');

describe('RSA keygen: EPHEMERAL and cached (spec-crypto 9.1, spec-keys-crypto 1.5)', () => {
  it('EPHEMERAL returns the key with keyId 0 and caches nothing; cached keys get 255, 254, ... or the id asked for', async () => {
    const { client } = rsaClient();
    await client.commInit(1); // a client id: ids come back without the GLOBAL flag
    for (let i = 0; i < 4; i++) {
      const r = await client.crypto.rsa.generate({ bits: 1024, ephemeral: true });
      expect('privateKey' in r && r.privateKey.length).toBeGreaterThan(600);
    }
    // Four ephemeral keys took none of the three big slots.
    const a = await client.crypto.rsa.generate({ bits: 1024, flags: F.USAGE_SIGN });
    const b = await client.crypto.rsa.generate({ bits: 1024, flags: F.USAGE_SIGN });
    const c = await client.crypto.rsa.generate({ bits: 1024, flags: F.USAGE_SIGN, keyId: 0x10 });
    expect([a, b, c].map((r) => ('keyId' in r ? r.keyId : r.rc))).toEqual([0xff, 0xfe, 0x10]);
  });

  it('the cached key is the PKCS#1 DER of the answered SPKI, with the label and the request flags minus TRUSTED', async () => {
    const { client } = rsaClient();
    const r = await client.crypto.rsa.generate({ bits: 1024, flags: F.TRUSTED | F.USAGE_SIGN, label: 'gen-label' });
    if (!('keyId' in r)) throw new Error(`keygen rc ${r.rc}`);
    expect(r.publicKey.length).toBe(162);
    // TRUSTED would refuse EXPORT (-2101): the stored flags do not carry it.
    const stored = await client.keyExport(r.keyId);
    expect(stored.rc).toBe(0);
    expect(new TextDecoder().decode(stored.label.subarray(0, 9))).toBe('gen-label');
    expect(hex(spkiOf(stored.data))).toBe(hex(r.publicKey));
    // SIGN was kept: a private-encrypt is served through the sign fallback, DECRYPT was not asked for.
    expect((await client.crypto.rsa.function({ keyId: r.keyId, op: RsaOp.PRIVATE_ENCRYPT, input: Uint8Array.of(2) })).rc).toBe(0);
    expect((await client.crypto.rsa.function({ keyId: r.keyId, op: RsaOp.PRIVATE_DECRYPT, input: Uint8Array.of(2) })).rc).toBe(-2009);
    // A key generated with flags 0 serves GET_SIZE and EXPORT_PUBLIC only.
    const bare = await client.crypto.rsa.generate({ bits: 1024 });
    if (!('keyId' in bare)) throw new Error(`keygen rc ${bare.rc}`);
    expect(await client.crypto.rsa.getSize({ keyId: bare.keyId })).toEqual({ rc: 0, size: 128 });
    expect((await client.crypto.rsa.function({ keyId: bare.keyId, op: RsaOp.PUBLIC_ENCRYPT, input: Uint8Array.of(2) })).rc).toBe(-2009);
  });

  it('every cached RSA key takes a big slot: the fourth is NOSPACE although regular slots are free', async () => {
    const { client } = rsaClient();
    for (let i = 0; i < 3; i++) expect((await client.crypto.rsa.generate({ bits: 1024 })).rc).toBe(0);
    expect((await client.crypto.rsa.generate({ bits: 1024 })).rc).toBe(-2105);
    expect((await client.keyCache(0, new Uint8Array(32), {})).rc).toBe(0);
  });

  it('3072 bits do not fit the example 1200-byte big slot (BAD_FUNC_ARG, nothing cached); a larger big slot takes them', async () => {
    const { client } = rsaClient();
    await client.commInit(1);
    expect((await client.crypto.rsa.generate({ bits: 3072 })).rc).toBe(-173);
    const next = await client.crypto.rsa.generate({ bits: 1024 });
    expect('keyId' in next && next.keyId).toBe(0xff);
    const roomy = rsaClient({ config: { keyCacheBigBufSize: 8192 } }).client;
    const r = await roomy.crypto.rsa.generate({ bits: 3072, flags: F.USAGE_DECRYPT });
    if (!('keyId' in r)) throw new Error(`keygen rc ${r.rc}`);
    expect(await roomy.crypto.rsa.getSize({ keyId: r.keyId })).toEqual({ rc: 0, size: 384 });
  });

  it('an existing NONMODIFIABLE key under the id refuses the new key (ACCESS)', async () => {
    const { client } = rsaClient();
    expect((await client.keyCache(0x20, new Uint8Array(16), { flags: F.NONMODIFIABLE })).rc).toBe(0);
    expect((await client.crypto.rsa.generate({ bits: 1024, keyId: 0x20 })).rc).toBe(-2101);
  });

  it('the SPKI is left out when it does not fit the response; the key is cached all the same', async () => {
    const { client } = rsaClient({ config: { dataLen: 256 } });
    const r = await client.crypto.rsa.generate({ bits: 2048, flags: F.USAGE_ENCRYPT });
    if (!('keyId' in r)) throw new Error(`keygen rc ${r.rc}`);
    expect(r.publicKey.length).toBe(0);
    expect(await client.crypto.rsa.getSize({ keyId: r.keyId })).toEqual({ rc: 0, size: 256 });
    // The private DER cannot be answered at all: EPHEMERAL fails as wc_RsaKeyToDer into a short buffer.
    expect((await client.crypto.rsa.generate({ bits: 2048, ephemeral: true })).rc).toBe(-173);
  });
});

describe('rsa.publicKey job (EXPORT_PUBLIC, spec-keys-crypto 9)', () => {
  const job = CRYPTO_JOBS['rsa.publicKey'] as (a: PublicKeyArgs) => PublicKeyResult;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const spki = derOf(publicKey, 'spki');

  it('answers the SPKI for every stored encoding, ASN_PARSE_E for other bytes', () => {
    for (const der of [derOf(privateKey, 'pkcs1'), derOf(privateKey, 'pkcs8'), spki, derOf(publicKey, 'pkcs1')]) {
      const r = job({ key: der });
      expect('publicKey' in r && hex(r.publicKey)).toBe(hex(spki));
    }
    expect(job({ key: new Uint8Array(40).fill(0x30) })).toEqual({ rc: -140 });
  });

  it('KEY EXPORT_PUBLIC of a cached RSA key answers that SPKI and the label', async () => {
    const { client } = rsaClient();
    const { keyId } = await client.keyCache(0, derOf(privateKey, 'pkcs1'), { flags: F.NONEXPORTABLE, label: 'rsa-pub' });
    const r = await client.keyExportPublic(keyId, WhKeyAlgo.RSA);
    expect(r.rc).toBe(0);
    expect(hex(r.publicKey)).toBe(hex(spki));
    expect(new TextDecoder().decode(r.label.subarray(0, 7))).toBe('rsa-pub');
  });
});

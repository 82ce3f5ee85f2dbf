import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, privateEncrypt, publicEncrypt, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RsaOp } from '../../src/crypto/rsa/messages.js';
import { emsaPkcs1v15 } from '../../src/crypto/rsa/pkcs1.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { derOf, hex, numbersOf, rsaClient } from './helpers/rsa.js';

const NO_PADDING = constants.RSA_NO_PADDING;
const ALL = NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_DECRYPT | NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY;
const message = new TextEncoder().encode('actorhsm signs with a key it keeps');

describe('RSA interop with node:crypto', () => {
  it('an EPHEMERAL 2048-bit key: PKCS#1 DER that node imports, with the requested exponent', async () => {
    const { client } = rsaClient();
    const r = await client.crypto.rsa.generate({ bits: 2048, e: 3, ephemeral: true });
    if (!('privateKey' in r)) throw new Error(`keygen rc ${r.rc}`);
    expect(r.privateKey[0]).toBe(0x30);
    const key = createPrivateKey({ key: Buffer.from(r.privateKey), format: 'der', type: 'pkcs1' });
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 3n });
    // Re-encoding through node gives the same bytes: the DER is canonical PKCS#1.
    expect(hex(derOf(key, 'pkcs1'))).toBe(hex(r.privateKey));
  });

  it('a cached 2048-bit key: the SPKI answered imports into node and matches EXPORT_PUBLIC', async () => {
    const { client } = rsaClient();
    const r = await client.crypto.rsa.generate({ bits: 2048, flags: ALL, label: 'interop' });
    if (!('keyId' in r)) throw new Error(`keygen rc ${r.rc}`);
    const pub = createPublicKey({ key: Buffer.from(r.publicKey), format: 'der', type: 'spki' });
    expect(pub.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    const exported = await client.keyExportPublic(r.keyId, 1);
    expect(exported.rc).toBe(0);
    expect(hex(exported.publicKey)).toBe(hex(r.publicKey));
  });

  it('a server signature (client padding + private-encrypt) verifies with node crypto.verify', async () => {
    const { client } = rsaClient();
    const r = await client.crypto.rsa.generate({ bits: 2048, flags: NvmFlags.USAGE_SIGN });
    if (!('keyId' in r)) throw new Error(`keygen rc ${r.rc}`);
    const digest = createHash('sha256').update(message).digest();
    const s = await client.crypto.rsa.sign({ keyId: r.keyId, hash: 'sha256', digest, size: 256 });
    if (!('signature' in s)) throw new Error(`sign rc ${s.rc}`);
    const pub = createPublicKey({ key: Buffer.from(r.publicKey), format: 'der', type: 'spki' });
    expect(verify('sha256', message, pub, s.signature)).toBe(true);
    expect(verify('sha256', new TextEncoder().encode('another message'), pub, s.signature)).toBe(false);
  });

  it('node signatures and node private-encrypt outputs open with the server public op (op 1)', async () => {
    const { client } = rsaClient();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { keyId } = await client.keyCache(0, derOf(publicKey, 'spki'), { flags: NvmFlags.USAGE_VERIFY });
    const sig = sign('sha384', message, privateKey);
    const ok = await client.crypto.rsa.verify({ keyId, hash: 'sha384', digest: createHash('sha384').update(message).digest(), signature: sig });
    expect(ok).toEqual({ rc: 0, valid: true });
    const block = Uint8Array.from({ length: 256 }, (_, i) => (i === 0 ? 0 : (i * 7) & 0xff));
    const c = privateEncrypt({ key: privateKey, padding: NO_PADDING }, block);
    const opened = await client.crypto.rsa.function({ keyId, op: RsaOp.PUBLIC_DECRYPT, input: c });
    expect('output' in opened && hex(opened.output)).toBe(hex(block));
  });

  it('encryption both ways: server op 0 opens with node privateDecrypt, node publicEncrypt opens with server op 3', async () => {
    // A 3072-bit PKCS#8 key (~1790 bytes) needs a big slot larger than the example's 1200 bytes.
    const { client } = rsaClient({ config: { keyCacheBigBufSize: 2048 } });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    // A PKCS#8 private key serves public and private ops (spec-crypto 16).
    const { keyId } = await client.keyCache(0, derOf(privateKey, 'pkcs8'), { flags: NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_DECRYPT });
    const k = numbersOf(privateKey).size;
    expect(k).toBe(384);
    const block = Uint8Array.from({ length: k }, (_, i) => (i < 2 ? 0 : (i * 13 + 1) & 0xff));
    const enc = await client.crypto.rsa.function({ keyId, op: RsaOp.PUBLIC_ENCRYPT, input: block });
    if (!('output' in enc)) throw new Error(`op 0 rc ${enc.rc}`);
    expect(enc.output.length).toBe(k);
    expect(hex(privateDecrypt({ key: privateKey, padding: NO_PADDING }, enc.output))).toBe(hex(block));
    const c = publicEncrypt({ key: privateKey, padding: NO_PADDING }, block);
    const dec = await client.crypto.rsa.function({ keyId, op: RsaOp.PRIVATE_DECRYPT, input: c });
    expect('output' in dec && hex(dec.output)).toBe(hex(block));
  });

  it('a 4096-bit EPHEMERAL key imports into node, and its private op matches node', async () => {
    const { client } = rsaClient();
    const r = await client.crypto.rsa.generate({ bits: 4096, ephemeral: true });
    if (!('privateKey' in r)) throw new Error(`keygen rc ${r.rc}`);
    const key = createPrivateKey({ key: Buffer.from(r.privateKey), format: 'der', type: 'pkcs1' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    // 4096-bit PKCS#1 DER (~2350 bytes) exceeds the example's 1200-byte big slot: KEY CACHE refuses it.
    expect((await client.keyCache(0, r.privateKey, { flags: NvmFlags.USAGE_SIGN })).rc).toBe(-2000);
    const big = rsaClient({ config: { keyCacheBigBufSize: 4096 } }).client;
    const cached = await big.keyCache(0, r.privateKey, { flags: NvmFlags.USAGE_SIGN });
    expect(cached.rc).toBe(0);
    const em = emsaPkcs1v15('sha512', createHash('sha512').update(message).digest(), 512)!;
    const s = await big.crypto.rsa.function({ keyId: cached.keyId, op: RsaOp.PRIVATE_ENCRYPT, input: em });
    expect('output' in s && hex(s.output)).toBe(hex(privateEncrypt({ key, padding: NO_PADDING }, em)));
  });
});

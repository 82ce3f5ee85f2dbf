import { createHash, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { WhError } from '../../src/errors.js';
import { ClientKeyFlag } from '../../src/keystore/key-id.js';
import { NvmFlags, labelText } from '../../src/nvm/metadata.js';
import { certServer } from './helpers/cert-server.js';
import { concat, makeCert, makePki, newKeys, spkiOf, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const LEAF = { cacheLeafKey: { keyId: 0, flags: NvmFlags.USAGE_VERIFY } };

let rsa: Pki;
let ec: Pki;
beforeAll(async () => {
  [rsa, ec] = await Promise.all([makePki('rsa', 'rsa', AT), makePki('ec', 'ec', AT)]);
}, 60_000);

async function setup(clientId = 1) {
  const t = certServer({ cert: { now: () => AT } });
  const client = t.connect().client;
  await client.commInit(clientId);
  expect(await client.cert.addTrusted(0x41, rsa.root)).toBe(0);
  expect(await client.cert.addTrusted(0x42, ec.root)).toBe(0);
  return { ...t, client };
}

describe('CERT VERIFY with CACHE_LEAF_PUBKEY: the leaf public key becomes a usable key', () => {
  it('id 0 → the server picks 0xff; the key is the leaf SPKI, label cert_pubkey, flags as asked without TRUSTED', async () => {
    const { client } = await setup();
    const r = await client.cert.verify(rsa.chain, 0x41, { cacheLeafKey: { flags: NvmFlags.USAGE_VERIFY | NvmFlags.TRUSTED } });
    expect(r).toEqual({ rc: 0, keyId: 0xff });
    const k = await client.keyExport(0xff);
    expect(k.rc).toBe(0);
    expect(Buffer.from(k.data).equals(Buffer.from(await spkiOf(rsa.leafKeys)))).toBe(true);
    expect(labelText(k.label)).toBe('cert_pubkey');
    // The next one gets the next free id; an explicit id is used as given.
    expect(await client.cert.verify(ec.chain, 0x42, LEAF)).toEqual({ rc: 0, keyId: 0xfe });
    expect(await client.cert.verify(ec.chain, 0x42, { cacheLeafKey: { keyId: 0x10 } })).toEqual({ rc: 0, keyId: 0x10 });
    expect(Buffer.from((await client.keyExport(0x10)).data).equals(Buffer.from(await spkiOf(ec.leafKeys)))).toBe(true);
  });

  it('the cached RSA key verifies a signature made by the leaf private key (CRYPTO RSA, VERIFY usage) and exports its public part', async () => {
    const { client } = await setup();
    const { keyId } = await client.cert.verify(rsa.chain, 0x41, { cacheLeafKey: { keyId: 0x21, flags: NvmFlags.USAGE_VERIFY } });
    const message = new TextEncoder().encode('signed by the leaf');
    const sig = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', rsa.leafKeys.pair.privateKey, message));
    const digest = createHash('sha256').update(message).digest();
    expect(await client.crypto.rsa.verify({ keyId, hash: 'sha256', digest, signature: sig })).toEqual({ rc: 0, valid: true });
    sig[10]! ^= 1;
    expect(await client.crypto.rsa.verify({ keyId, hash: 'sha256', digest, signature: sig })).toEqual({ rc: 0, valid: false });
    const pub = await client.keyExportPublic(keyId, WhKeyAlgo.RSA);
    expect(pub.rc).toBe(0);
    expect(Buffer.from(pub.publicKey).equals(Buffer.from(await spkiOf(rsa.leafKeys)))).toBe(true);
  });

  it('GLOBAL flag: the key lands in the global cache, visible to another client; a local key is not', async () => {
    const { client, connect } = await setup(1);
    const other = connect().client;
    await other.commInit(2);
    expect(await client.cert.verify(ec.chain, 0x42, { cacheLeafKey: { keyId: ClientKeyFlag.GLOBAL | 0x33 } })).toEqual({ rc: 0, keyId: ClientKeyFlag.GLOBAL | 0x33 });
    expect((await other.keyExport(ClientKeyFlag.GLOBAL | 0x33)).rc).toBe(0);
    expect(await client.cert.verify(ec.chain, 0x42, { cacheLeafKey: { keyId: 0x34 } })).toEqual({ rc: 0, keyId: 0x34 });
    expect((await other.keyExport(0x34)).rc).toBe(WhError.NOTFOUND);
  });

  it('a failed verification caches nothing and reports the requested id; without the flag nothing is cached', async () => {
    const { client } = await setup();
    expect(await client.cert.verify(rsa.chain, 0x42, { cacheLeafKey: { keyId: 0x44 } })).toEqual({ rc: WhError.CERT_VERIFY, keyId: 0x44 });
    expect((await client.keyExport(0x44)).rc).toBe(WhError.NOTFOUND);
    expect(await client.cert.verify(rsa.chain, 0x41)).toEqual({ rc: 0, keyId: 0 });
    expect((await client.keyExport(0xff)).rc).toBe(WhError.NOTFOUND);
    // A chain of CAs only has no leaf: OK, nothing cached.
    expect(await client.cert.verify(rsa.inter, 0x41, LEAF)).toEqual({ rc: 0, keyId: 0 });
  });

  it('the key cannot be cached → CERT_VERIFY, the picked id still reported: no big slot left, or a NONMODIFIABLE key at the id', async () => {
    const { client } = await setup();
    // Three big slots (the example server's cache): every leaf key takes one, however small.
    for (const id of [0x51, 0x52, 0x53]) expect((await client.cert.verify(ec.chain, 0x42, { cacheLeafKey: { keyId: id } })).rc).toBe(0);
    expect(await client.cert.verify(ec.chain, 0x42, LEAF)).toEqual({ rc: WhError.CERT_VERIFY, keyId: 0xff });
    expect(await client.keyEvict(0x53)).toBe(0);
    expect((await client.keyCache(0x60, new Uint8Array(16), { flags: NvmFlags.NONMODIFIABLE })).rc).toBe(0);
    expect(await client.cert.verify(ec.chain, 0x42, { cacheLeafKey: { keyId: 0x60 } })).toEqual({ rc: WhError.CERT_VERIFY, keyId: 0x60 });
    expect((await client.keyExport(0x60)).data).toEqual(new Uint8Array(16));
  });

  it('with several end-entity certificates in the chain the last one is cached', async () => {
    const k2 = await newKeys('ec');
    const second = await makeCert({ cn: 'second leaf', keys: k2, issuer: { cn: 'ec intermediate', keys: ec.interKeys }, ca: false, at: AT });
    const { client } = await setup();
    expect(await client.cert.verify(concat(ec.chain, second), 0x42, { cacheLeafKey: { keyId: 0x70 } })).toEqual({ rc: 0, keyId: 0x70 });
    expect(Buffer.from((await client.keyExport(0x70)).data).equals(Buffer.from(await spkiOf(k2)))).toBe(true);
  });
});

import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eccPublicKey } from '../../src/crypto/ecc/jobs.js';
import { EccKeyGenRequest } from '../../src/crypto/ecc/messages.js';
import { WcCurve, WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { eccClient, hex, rawPk, sec1Of, sha, spkiOf, unhex } from './helpers/ecc.js';

const { USAGE_SIGN: SIGN, USAGE_VERIFY: VERIFY, USAGE_DERIVE: DERIVE, USAGE_ANY: ANY } = NvmFlags;
const digest = sha('sha256', 'usage');
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The raw keygen answer: keyId and len fields. */
async function rawKeygen(client: Awaited<ReturnType<typeof eccClient>>['client'], fields: Partial<Parameters<typeof EccKeyGenRequest.encode>[0]>) {
  const body = EccKeyGenRequest.encode({ sz: 32, curveId: WcCurve.SECP256R1, keyId: 0, flags: NvmFlags.EPHEMERAL, access: 0, label: new Uint8Array(24), ...fields }, true);
  const r = await rawPk(client, WcPk.EC_KEYGEN, body);
  const view = new DataView(r.bytes.buffer, r.bytes.byteOffset);
  return { rc: r.rc, keyId: r.bytes.length >= 20 ? view.getUint32(12, true) : -1, len: r.bytes.length >= 20 ? view.getUint32(16, true) : -1, size: r.bytes.length };
}

describe('ECC usage flags (spec-keys-crypto 2.2)', () => {
  /** Each operation, given a key id cached with some flags: its rc. */
  const ops: { name: string; needs: number; run: (c: Awaited<ReturnType<typeof eccClient>>['client'], keyId: number, other: number) => Promise<{ rc: number }> }[] = [
    { name: 'sign', needs: SIGN, run: (c, keyId) => c.crypto.ecc.sign({ keyId, digest }) },
    { name: 'verify', needs: VERIFY, run: (c, keyId) => c.crypto.ecc.verify({ keyId, digest, signature: unhex('3006020101020101') }) },
    { name: 'ECDH (private side)', needs: DERIVE, run: (c, keyId, other) => c.crypto.ecc.sharedSecret({ privateKeyId: keyId, publicKeyId: other }) },
    { name: 'ECDH (public side)', needs: 0, run: (c, keyId, other) => c.crypto.ecc.sharedSecret({ privateKeyId: other, publicKeyId: keyId }) },
    { name: 'make-pub', needs: 0, run: (c, keyId) => c.crypto.ecc.makePublic({ keyId }) },
    { name: 'check-pub', needs: 0, run: (c, keyId) => c.crypto.ecc.checkPublic({ keyId }) },
  ];

  for (const op of ops) {
    it(`${op.name}: ${op.needs ? 'every other usage bit is USAGE -2009, the required one works' : 'no usage bit needed'}`, async () => {
      const { client } = await eccClient();
      const der = sec1Of(pair().privateKey);
      const other = await client.keyCache(0x50, sec1Of(pair().privateKey), { flags: DERIVE });
      const without = await client.keyCache(0x51, der, { flags: op.needs ? ANY & ~op.needs : 0 });
      const withIt = await client.keyCache(0x52, der, { flags: op.needs });
      expect((await op.run(client, without.keyId, other.keyId)).rc).toBe(op.needs ? -2009 : 0);
      expect((await op.run(client, withIt.keyId, other.keyId)).rc).toBe(0);
    });
  }

  it('REVOKE clears the usage bits: a signing key signs no more', async () => {
    const { client } = await eccClient();
    const gen = await client.crypto.ecc.generate({ curve: 'P-256', keyId: 0x30, flags: SIGN });
    expect(gen.rc).toBe(0);
    expect((await client.crypto.ecc.sign({ keyId: 0x30, digest })).rc).toBe(0);
    expect(await client.keyRevoke(0x30)).toBe(0);
    expect((await client.crypto.ecc.sign({ keyId: 0x30, digest })).rc).toBe(-2009);
  });
});

describe('ECC EVICT options (spec-keys-crypto 1.6)', () => {
  it('sign, verify, make-pub and check-pub evict their key after use, also when the operation failed', async () => {
    const { client } = await eccClient();
    const der = sec1Of(pair().privateKey);
    const cases: [string, (keyId: number) => Promise<{ rc: number }>, number][] = [
      ['sign', (keyId) => client.crypto.ecc.sign({ keyId, digest, evict: true }), SIGN],
      ['sign refused', (keyId) => client.crypto.ecc.sign({ keyId, digest, evict: true }), VERIFY],
      ['verify', (keyId) => client.crypto.ecc.verify({ keyId, digest, signature: unhex('3006020101020101'), evict: true }), VERIFY],
      ['verify malformed', (keyId) => client.crypto.ecc.verify({ keyId, digest, signature: unhex('3000'), evict: true }), VERIFY],
      ['make-pub', (keyId) => client.crypto.ecc.makePublic({ keyId, evict: true }), 0],
      ['check-pub mismatch', (keyId) => client.crypto.ecc.checkPublic({ keyId, publicKey: unhex(`04${'11'.repeat(64)}`), evict: true }), 0],
    ];
    for (const [name, run, flags] of cases) {
      const { keyId } = await client.keyCache(0x40, der, { flags });
      await run(keyId);
      expect((await client.keyExport(keyId)).rc, name).toBe(-2104);
    }
    // Without the option the key stays.
    const { keyId } = await client.keyCache(0x41, der, { flags: SIGN });
    expect((await client.crypto.ecc.sign({ keyId, digest })).rc).toBe(0);
    expect((await client.keyExport(keyId)).rc).toBe(0);
  });

  it('ECDH: bit 0 evicts the public key, bit 1 the private key, both even when the agreement failed', async () => {
    const { client } = await eccClient();
    const prvDer = sec1Of(pair().privateKey);
    const pubDer = spkiOf(pair().publicKey);
    const exists = async (id: number) => (await client.keyExport(id)).rc === 0;
    for (const [evictPublic, evictPrivate, usage] of [
      [true, false, DERIVE],
      [false, true, DERIVE],
      [true, true, SIGN], // refused: -2009, evictions still run
    ] as const) {
      await client.keyCache(0x60, prvDer, { flags: usage });
      await client.keyCache(0x61, pubDer);
      const r = await client.crypto.ecc.sharedSecret({ privateKeyId: 0x60, publicKeyId: 0x61, evictPublic, evictPrivate });
      expect(r.rc).toBe(usage === DERIVE ? 0 : -2009);
      expect([await exists(0x60), await exists(0x61)]).toEqual([!evictPrivate, !evictPublic]);
    }
  });

  it('ECDH: an eviction naming the id the secret was just cached under is skipped; the other one runs', async () => {
    const { client } = await eccClient();
    const them = pair();
    await client.keyCache(0x62, sec1Of(pair().privateKey), { flags: DERIVE });
    await client.keyCache(0x63, spkiOf(them.publicKey));
    const r = await client.crypto.ecc.sharedSecret({ privateKeyId: 0x62, publicKeyId: 0x63, evictPublic: true, evictPrivate: true, cache: { keyId: 0x63, label: 'secret' } });
    expect(r).toEqual({ rc: 0, keyId: 0x63, secret: new Uint8Array(0) });
    const secret = await client.keyExport(0x63);
    expect({ rc: secret.rc, len: secret.data.length }).toEqual({ rc: 0, len: 32 });
    expect((await client.keyExport(0x62)).rc).toBe(-2104);
  });

  it('keys given as DER are cached for one request and evicted by it: many calls never fill the cache', async () => {
    const { client } = await eccClient();
    const k = pair();
    for (let i = 0; i < 12; i++) {
      const s = await client.crypto.ecc.sign({ key: sec1Of(k.privateKey), digest });
      expect(s.rc).toBe(0);
      const v = await client.crypto.ecc.verify({ key: spkiOf(k.publicKey), digest, signature: 'signature' in s ? s.signature : new Uint8Array(0) });
      expect(v).toMatchObject({ rc: 0, valid: true });
      expect((await client.crypto.ecc.makePublic({ key: sec1Of(k.privateKey) })).rc).toBe(0);
      expect((await client.crypto.ecc.checkPublic({ key: sec1Of(k.privateKey) })).rc).toBe(0);
    }
  });
});

describe('ECC key generation: EPHEMERAL and cached (spec-crypto 10.1, spec-keys-crypto 1.5)', () => {
  it('EPHEMERAL answers the SEC1 DER under keyId 0x0100 (an erased id with the global flag), 0 without global keys; nothing is cached', async () => {
    const withGlobal = await eccClient();
    expect(await rawKeygen(withGlobal.client, {})).toEqual({ rc: 0, keyId: 0x100, len: 121, size: 141 });
    const without = await eccClient({ config: { keyFeatures: { globalKeys: false, keyWrap: true, hwKeystore: false } } });
    expect(await rawKeygen(without.client, {})).toMatchObject({ rc: 0, keyId: 0, len: 121 });
    // Twelve ephemeral keys leave every slot free: a 13th cached key still fits.
    for (let i = 0; i < 12; i++) expect((await rawKeygen(withGlobal.client, { sz: 66, curveId: WcCurve.SECP521R1 })).len).toBe(223);
    expect((await withGlobal.client.crypto.ecc.generate({ curve: 'P-521' })).rc).toBe(0);
  });

  it('cached keys get unique ids (255 downward), or the id asked for; an existing id is replaced', async () => {
    const { client } = await eccClient();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const g = await client.crypto.ecc.generate({ curve: 'P-256' });
      ids.push('keyId' in g ? g.keyId : -1);
    }
    expect(ids).toEqual([0xff, 0xfe, 0xfd]);
    await client.keyEvict(0xfd);
    const asked = await client.crypto.ecc.generate({ curve: 'P-256', keyId: 0x21 });
    const again = await client.crypto.ecc.generate({ curve: 'P-256', keyId: 0x21 });
    expect([asked.rc, again.rc, 'keyId' in again && again.keyId]).toEqual([0, 0, 0x21]);
    expect('publicKey' in asked && 'publicKey' in again && hex(asked.publicKey) !== hex(again.publicKey)).toBe(true);
    const stored = await client.keyExport(0x21);
    const pub = createPrivateKey({ key: Buffer.from(stored.data), format: 'der', type: 'sec1' });
    expect('publicKey' in again && hex(spkiOf(pub))).toBe('publicKey' in again ? hex(again.publicKey) : '');
  });

  it('the stored key keeps the request flags without TRUSTED, access ANY and the label', async () => {
    const { client } = await eccClient();
    const g = await client.crypto.ecc.generate({ curve: 'P-384', keyId: 0x22, flags: NvmFlags.TRUSTED | SIGN | NvmFlags.NONMODIFIABLE, label: 'trusted?' });
    expect(g.rc).toBe(0);
    expect(await client.keyCommit(0x22)).toBe(0);
    const meta = await client.nvmGetMetadata(makeKeyId(KeyType.CRYPTO, 1, 0x22));
    expect(meta.rc).toBe(0);
    expect({ flags: meta.meta.flags, access: meta.meta.access, len: meta.meta.len, label: new TextDecoder().decode(meta.meta.label.subarray(0, 8)) }).toEqual({
      flags: SIGN | NvmFlags.NONMODIFIABLE,
      access: 0xffff,
      len: 167,
      label: 'trusted?',
    });
  });

  it('every cached ECC key takes a big slot (257 bytes reserved): the 4th is NOSPACE with regular slots free; larger regular slots hold them', async () => {
    const small = await eccClient();
    for (let i = 0; i < 3; i++) expect((await small.client.crypto.ecc.generate({ curve: 'P-256' })).rc).toBe(0);
    expect((await small.client.crypto.ecc.generate({ curve: 'P-256' })).rc).toBe(-2105);
    expect((await small.client.keyCache(0, new Uint8Array(121).fill(7))).rc).toBe(0); // a 121-byte import fits a regular slot
    expect(await small.client.keyEvict(0xff)).toBe(0);
    expect((await small.client.crypto.ecc.generate({ curve: 'P-256' })).rc).toBe(0);

    const roomy = await eccClient({ config: { keyCacheBufSize: 512 } });
    for (let i = 0; i < 5; i++) expect((await roomy.client.crypto.ecc.generate({ curve: 'P-256' })).rc).toBe(0);
  });

  it('a global key (0x0100 flag) made by one client is used by another', async () => {
    const { client, connect } = await eccClient();
    const g = await client.crypto.ecc.generate({ curve: 'P-256', keyId: 0x105, flags: SIGN | VERIFY });
    expect(g.rc === 0 && 'keyId' in g && g.keyId).toBe(0x105);
    const other = connect();
    await other.commInit(2);
    const s = await other.crypto.ecc.sign({ keyId: 0x105, digest });
    const v = await client.crypto.ecc.verify({ keyId: 0x105, digest, signature: 'signature' in s ? s.signature : new Uint8Array(0) });
    expect(v).toMatchObject({ rc: 0, valid: true });
    expect((await other.crypto.ecc.sign({ keyId: 0x05, digest })).rc).toBe(-2104); // its own local 5 does not exist
  });
});

describe('ecc.publicKey job and EXPORT_PUBLIC (spec-keys-crypto 9)', () => {
  it('a generated key exports the SPKI keygen answered, with its label', async () => {
    const { client } = await eccClient();
    const g = await client.crypto.ecc.generate({ curve: 'P-521', label: 'exported' });
    if (!('keyId' in g)) throw new Error(`keygen ${g.rc}`);
    const r = await client.keyExportPublic(g.keyId, WhKeyAlgo.ECC);
    expect({ rc: r.rc, pub: hex(r.publicKey), label: new TextDecoder().decode(r.label.subarray(0, 8)) }).toEqual({ rc: 0, pub: hex(g.publicKey), label: 'exported' });
  });

  it('a private-only key gets its point derived; an SPKI exports itself; garbage and an X25519 key are ASN_PARSE_E; a zero scalar ECC_PRIV_KEY_E', async () => {
    const k = pair();
    const d = Buffer.from(k.privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex');
    const privateOnly = unhex(`30310201010420${d}a00a06082a8648ce3d030107`);
    expect(eccPublicKey({ key: privateOnly })).toEqual({ rc: 0, publicKey: spkiOf(k.publicKey) });
    expect(eccPublicKey({ key: spkiOf(k.publicKey) })).toEqual({ rc: 0, publicKey: spkiOf(k.publicKey) });
    expect(eccPublicKey({ key: new Uint8Array(40).fill(0x30) })).toEqual({ rc: -140 });
    const x25519 = new Uint8Array(generateKeyPairSync('x25519').privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(eccPublicKey({ key: x25519 })).toEqual({ rc: -140 });
    expect(eccPublicKey({ key: unhex(`30310201010420${'00'.repeat(32)}a00a06082a8648ce3d030107`) })).toEqual({ rc: -216 });
    const { client } = await eccClient();
    const { keyId } = await client.keyCache(0, privateOnly);
    expect(hex((await client.keyExportPublic(keyId, WhKeyAlgo.ECC)).publicKey)).toBe(hex(spkiOf(k.publicKey)));
  });
});

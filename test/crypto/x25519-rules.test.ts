import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x25519PrivateDer, x25519PublicDer } from '../../src/crypto/curve25519/der.js';
import { ed25519PrivateDer } from '../../src/crypto/ed25519/der.js';
import { WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { DEFAULT_KEY_FEATURES } from '../../src/keystore/key-id.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { body, hex, pkRaw, pkServer, unhex, utf8 } from './helpers/ed25519-x25519.js';
import { X25519_VECTORS } from './helpers/x25519-fixtures.js';

const { DERIVE, EPHEMERAL } = { DERIVE: NvmFlags.USAGE_DERIVE, EPHEMERAL: NvmFlags.EPHEMERAL };
const reversed = (b: Uint8Array) => b.slice().reverse();
const v = X25519_VECTORS.diffieHellman;
const ALICE = x25519PrivateDer(unhex(v.alicePrivate), unhex(v.alicePublic));
const BOB = x25519PrivateDer(unhex(v.bobPrivate), unhex(v.bobPublic));
const LABEL = utf8('x25519 label').slice(0, 24);
const label24 = () => {
  const l = new Uint8Array(24);
  l.set(LABEL);
  return l;
};

/** A client with client id 1 (ids come back without the global flag). */
async function setup(config = {}) {
  const t = pkServer({ config });
  await t.client.commInit(1);
  return t;
}

/** A CURVE25519 request: options, private id, public id, endian, flags, output id, label. */
const shared = (o: { options?: number; priv: number; pub: number; endian?: number; flags?: number; keyId?: number }) =>
  body([o.options ?? 0, o.priv, o.pub, o.endian ?? 0, o.flags ?? EPHEMERAL, o.keyId ?? 0], label24());

describe('CURVE25519_KEYGEN (spec-crypto 11.2)', () => {
  it('EPHEMERAL: the 82-byte wolf DER under key id 0x0100 (0 without global keys), a clamped scalar and its public key; nothing cached', async () => {
    const { client } = await setup();
    const r = await pkRaw(client, WcPk.CURVE25519_KEYGEN, body([32, EPHEMERAL, 0], new Uint8Array(24)));
    expect(r.payload.length).toBe(102);
    expect(hex(r.payload.subarray(0, 20))).toBe('1000000000000000000000000001000052000000');
    const der = r.payload.subarray(20);
    expect(hex(der.subarray(0, 16))).toBe('3050020100300506032b656e04220420');
    expect(hex(der.subarray(48, 50))).toBe('8120');
    const scalar = reversed(der.subarray(16, 48));
    expect([scalar[0]! & 7, scalar[31]! & 0xc0]).toEqual([0, 0x40]);
    const nodeKey = createPrivateKey({ key: Buffer.from([...unhex('302e020100300506032b656e04220420'), ...scalar]), format: 'der', type: 'pkcs8' });
    expect(hex(createPublicKey(nodeKey).export({ format: 'der', type: 'spki' }).subarray(12))).toBe(hex(reversed(der.subarray(50))));
    const again = await pkRaw(client, WcPk.CURVE25519_KEYGEN, body([32, EPHEMERAL, 0], new Uint8Array(24)));
    expect(hex(again.payload.subarray(36, 68))).not.toBe(hex(der.subarray(16, 48)));
    expect((await client.keyExport(0xff)).rc).toBe(-2104);

    const noGlobal = pkServer({ config: { keyFeatures: { ...DEFAULT_KEY_FEATURES, globalKeys: false } } });
    expect(hex((await pkRaw(noGlobal.client, WcPk.CURVE25519_KEYGEN, body([32, EPHEMERAL, 0], new Uint8Array(24)))).payload.subarray(12, 16))).toBe('00000000');
  });

  it('cached: ids assigned from 255 down or as asked, the SPKI reply equals EXPORT_PUBLIC, label kept, TRUSTED stripped, the 82-byte DER stored', async () => {
    const { client } = await setup();
    const a = await client.crypto.curve25519.generate({ flags: DERIVE | NvmFlags.TRUSTED, label: 'x25519 label' });
    const b = await client.crypto.curve25519.generate({ flags: DERIVE });
    const c = await client.crypto.curve25519.generate({ keyId: 0x33, flags: DERIVE });
    expect([a, b, c].map((g) => ('keyId' in g ? [g.rc, g.keyId, g.publicKey.length, g.privateKey.length] : g.rc))).toEqual([
      [0, 0xff, 44, 0],
      [0, 0xfe, 44, 0],
      [0, 0x33, 44, 0],
    ]);
    if (!('publicKey' in a)) throw new Error('keygen');
    const exported = await client.keyExportPublic(0xff, WhKeyAlgo.CURVE25519); // a TRUSTED key would be ACCESS here
    expect({ rc: exported.rc, spki: hex(exported.publicKey), label: hex(exported.label.subarray(0, LABEL.length)) }).toEqual({ rc: 0, spki: hex(a.publicKey), label: hex(LABEL) });
    const stored = await client.keyExport(0xff);
    expect([stored.rc, stored.data.length, hex(stored.data.subarray(50))]).toEqual([0, 82, hex(a.publicKey.subarray(12))]);
  });

  it('size other than 32: ECC_BAD_ARG_E; a payload shorter than the struct: BADARGS', async () => {
    const { client } = await setup();
    for (const sz of [0, 16, 31, 33, 56]) expect(hex((await pkRaw(client, WcPk.CURVE25519_KEYGEN, body([sz, EPHEMERAL, 0], new Uint8Array(24)))).payload)).toBe('1000000056ffffff00000000');
    expect((await pkRaw(client, WcPk.CURVE25519_KEYGEN, body([32, EPHEMERAL, 0], new Uint8Array(23)))).rc).toBe(-2000);
  });

  it('a cached key takes a regular slot: nine fit, the tenth is NOSPACE while the big slots stay free', async () => {
    const { client } = await setup();
    for (let i = 0; i < 9; i++) expect((await client.crypto.curve25519.generate({ flags: DERIVE })).rc).toBe(0);
    expect(await client.crypto.curve25519.generate({ flags: DERIVE })).toEqual({ rc: -2105 });
    expect((await client.keyCache(0, new Uint8Array(300).fill(1))).rc).toBe(0);
    expect(await client.keyEvict(0xff)).toBe(0);
    expect((await client.crypto.curve25519.generate({ flags: DERIVE })).rc).toBe(0);
  });
});

describe('CURVE25519 shared secret (spec-crypto 11.3)', () => {
  it('usage: the private key needs DERIVE, the public key nothing; key number 0 BADARGS; absent NOTFOUND', async () => {
    const { client } = await setup();
    const alice = await client.keyCache(0, ALICE, { flags: DERIVE });
    const aliceNoDerive = await client.keyCache(0, ALICE, { flags: NvmFlags.USAGE_ANY & ~DERIVE });
    const bobNoFlags = await client.keyCache(0, BOB, { flags: 0 });
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: bobNoFlags.keyId }))).rc).toBe(0);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: aliceNoDerive.keyId, pub: bobNoFlags.keyId }))).rc).toBe(-2009);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: bobNoFlags.keyId, pub: alice.keyId }))).rc).toBe(-2009);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: 0, pub: alice.keyId }))).rc).toBe(-2000);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: 0 }))).rc).toBe(-2000);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: 0x44, pub: alice.keyId }))).rc).toBe(-2104);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: 0x44 }))).rc).toBe(-2104);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: bobNoFlags.keyId }).subarray(0, 47))).rc).toBe(-2000);
  });

  it('key forms: no scalar (SPKI as private) or no u (private DER without [1] as public) ECC_BAD_ARG_E; undecodable or Ed25519 keys ASN_PARSE_E', async () => {
    const { client } = await setup();
    const privateOnly = Uint8Array.from([...unhex('302e020100300506032b656e04220420'), ...reversed(unhex(v.bobPrivate))]);
    const cases: [Uint8Array, Uint8Array, number][] = [
      [x25519PublicDer(unhex(v.alicePublic)), BOB, -170],
      [ALICE, privateOnly, -170],
      [new Uint8Array(82).fill(0x30), BOB, -140],
      [ALICE, ed25519PrivateDer(new Uint8Array(32), new Uint8Array(32)), -140],
      [ALICE.subarray(0, 81), BOB, -140],
    ];
    for (const [priv, pub, rc] of cases) {
      const p = await client.keyCache(0, priv, { flags: DERIVE });
      const q = await client.keyCache(0, pub, { flags: DERIVE });
      expect((await pkRaw(client, WcPk.CURVE25519, shared({ options: 3, priv: p.keyId, pub: q.keyId }))).rc).toBe(rc);
    }
  });

  it('endian 1 reverses the secret (the observed 896a…/…6a89 pair); any other value is RFC order; a low-order peer gives zeros, as wolfCrypt', async () => {
    const { client } = await setup();
    const alice = await client.keyCache(0, ALICE, { flags: DERIVE });
    const bob = await client.keyCache(0, x25519PublicDer(unhex(v.bobPublic)), { flags: 0 });
    const secret = (endian: number) => pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: bob.keyId, endian }));
    expect(hex((await secret(0)).payload)).toBe(`0700000000000000000000002000000000000000${v.shared}`);
    expect(hex((await secret(1)).payload.subarray(20))).toBe(hex(reversed(unhex(v.shared))));
    expect(hex((await secret(2)).payload.subarray(20))).toBe(v.shared);
    const zero = await client.keyCache(0, x25519PublicDer(new Uint8Array(32)), { flags: 0 });
    expect(hex((await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: zero.keyId }))).payload.subarray(12))).toBe(`20000000${'00'.repeat(36)}`);
  });

  it('cached secret: the 20-byte answer carries its id; stored in the requested byte order with the label, flags minus TRUSTED', async () => {
    const { client } = await setup();
    const alice = await client.keyCache(0, ALICE, { flags: DERIVE });
    const bob = await client.keyCache(0, BOB, { flags: 0 });
    const r = await pkRaw(client, WcPk.CURVE25519, shared({ priv: alice.keyId, pub: bob.keyId, endian: 1, flags: NvmFlags.TRUSTED | DERIVE, keyId: 0x42 }));
    expect(hex(r.payload)).toBe('0700000000000000000000000000000042000000');
    const stored = await client.keyExport(0x42); // TRUSTED would refuse the export
    expect([stored.rc, hex(stored.data), hex(stored.label.subarray(0, LABEL.length))]).toEqual([0, hex(reversed(unhex(v.shared))), hex(LABEL)]);
    const assigned = await client.crypto.curve25519.sharedSecret({ privateKeyId: alice.keyId, publicKeyId: bob.keyId, cache: { flags: DERIVE } });
    expect(assigned).toEqual({ rc: 0, keyId: 0xfd, secret: new Uint8Array(0) });
    expect(hex((await client.keyExport(0xfd)).data)).toBe(v.shared);
  });

  it('EVICT bits: 1 the public key, 2 the private key, run even when the agreement failed; one naming the new cached secret is skipped; a malformed request evicts nothing', async () => {
    const { client } = await setup();
    const present = async (id: number) => (await client.keyExport(id)).rc === 0;
    const pair = async (privFlags: number = DERIVE) => [(await client.keyCache(0, ALICE, { flags: privFlags })).keyId, (await client.keyCache(0, BOB, { flags: DERIVE })).keyId] as const;

    let [p, q] = await pair();
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ options: 1, priv: p, pub: q }))).rc).toBe(0);
    expect([await present(p), await present(q)]).toEqual([true, false]);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ options: 2, priv: p, pub: p }))).rc).toBe(0);
    expect(await present(p)).toBe(false);

    [p, q] = await pair(0);
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ options: 3, priv: p, pub: q }))).rc).toBe(-2009);
    expect([await present(p), await present(q)]).toEqual([false, false]);

    [p, q] = await pair();
    expect(hex((await pkRaw(client, WcPk.CURVE25519, shared({ options: 3, priv: p, pub: q, flags: DERIVE, keyId: q }))).payload.subarray(16))).toBe(`${hex(Uint8Array.of(q))}000000`);
    expect([await present(p), hex((await client.keyExport(q)).data)]).toEqual([false, v.shared]);

    [p, q] = await pair();
    expect((await pkRaw(client, WcPk.CURVE25519, shared({ options: 3, priv: p, pub: q }).subarray(0, 40))).rc).toBe(-2000);
    expect([await present(p), await present(q)]).toEqual([true, true]);
  });

  it('the client imports raw DER with DERIVE and evicts it in the same request; a failed import evicts the other half', async () => {
    const { client } = await setup();
    expect(await client.crypto.curve25519.sharedSecret({ privateKey: ALICE, publicKey: BOB })).toEqual({ rc: 0, keyId: 0, secret: unhex(v.shared) });
    expect((await client.keyExport(0xff)).rc).toBe(-2104);
    expect((await client.keyExport(0xfe)).rc).toBe(-2104);
    expect(await client.crypto.curve25519.sharedSecret({ privateKey: ALICE, publicKey: new Uint8Array(2000) })).toEqual({ rc: -2000 });
    expect((await client.keyExport(0xff)).rc).toBe(-2104);
  });
});

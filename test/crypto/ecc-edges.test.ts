import { generateKeyPairSync } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { EccClient } from '../../src/client/crypto/ecc.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { EccCheckRequest, EccKeyGenRequest, EccMakePubRequest, EccSignRequest, EccVerifyRequest, EcdhRequest } from '../../src/crypto/ecc/messages.js';
import { WcAlgo, WcCurve, WcPk } from '../../src/crypto/wolfcrypt.js';
import { cryptoHandler } from '../../src/handlers/crypto/crypto-handler.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../../src/handlers/crypto/families/index.js';
import { eccPkTypes } from '../../src/handlers/crypto/families/pk-ecc.js';
import { DEFAULT_PK_FAMILIES, pkFamily } from '../../src/handlers/crypto/families/pk.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';
import { derSignature, eccClient, hex, pointOf, rawPk, sec1Of, sha, spkiOf, unhex } from './helpers/ecc.js';

const { USAGE_SIGN: SIGN, USAGE_VERIFY: VERIFY, USAGE_DERIVE: DERIVE } = NvmFlags;
const P256_OID = '2a8648ce3d030107';
const n256 = p256.Point.CURVE().n;
const p256p = p256.Point.CURVE().p;
const digest = sha('sha256', 'edges');
const label = new Uint8Array(24);
const fail = (algoType: number, rc: number) => hex(Uint8Array.from([...new Uint8Array(new Uint32Array([algoType]).buffer), ...new Uint8Array(new Int32Array([rc, 0]).buffer)]));
const pair = (namedCurve = 'P-256') => generateKeyPairSync('ec', { namedCurve });

/** SEC1 ECPrivateKey { 1, d, [0] P-256, [1] point } with any point bytes (65). */
const sec1With = (d: string, point: string) => unhex(`30770201010420${d}a00a0608${P256_OID}a144034200${point}`);
/** SPKI of P-256 with any 65 point bytes. */
const spkiWith = (point: string) => unhex(`3059301306072a8648ce3d020106082a8648ce3d030107034200${point}`);
const scalarOf = (k: ReturnType<typeof pair>['privateKey']) => Buffer.from(k.export({ format: 'jwk' }).d!, 'base64url').toString('hex');
const hex64 = (v: bigint) => v.toString(16).padStart(64, '0');

describe('ECC request sizes: a payload shorter than the struct, or data beyond it, is BADARGS (12-byte answer)', () => {
  it('each PK type with its struct one byte short', async () => {
    const { client } = await eccClient();
    for (const [type, size] of [
      [WcPk.EC_KEYGEN, EccKeyGenRequest.size],
      [WcPk.ECDH, EcdhRequest.size],
      [WcPk.ECDSA_SIGN, EccSignRequest.size],
      [WcPk.ECDSA_VERIFY, EccVerifyRequest.size],
      [WcPk.EC_MAKE_PUB, EccMakePubRequest.size],
      [WcPk.EC_CHECK_PUB_KEY, EccCheckRequest.size],
    ] as const) {
      const r = await rawPk(client, type, new Uint8Array(size - 1));
      expect(hex(r.bytes), `type ${type}`).toBe(fail(type, -2000));
    }
  });

  it('declared lengths beyond the payload: sign sz, verify sigSz and hashSz, check pubSz', async () => {
    const { client } = await eccClient();
    const { keyId } = await client.keyCache(0, sec1Of(pair().privateKey), { flags: SIGN | VERIFY });
    const sign = EccSignRequest.encode({ options: 0, keyId, sz: 33 }, true);
    expect((await rawPk(client, WcPk.ECDSA_SIGN, new Uint8Array([...sign, ...new Uint8Array(32)]))).rc).toBe(-2000);
    for (const [sigSz, hashSz] of [[11, 0], [4, 7], [0, 11]]) {
      const v = EccVerifyRequest.encode({ options: 0, keyId, sigSz, hashSz }, true);
      expect((await rawPk(client, WcPk.ECDSA_VERIFY, new Uint8Array([...v, ...new Uint8Array(10)]))).rc).toBe(-2000);
    }
    const c = EccCheckRequest.encode({ options: 0, keyId, curveId: 0, pubSz: 65 }, true);
    expect((await rawPk(client, WcPk.EC_CHECK_PUB_KEY, new Uint8Array([...c, ...new Uint8Array(64)]))).rc).toBe(-2000);
  });
});

describe('ECC key generation: curve selection as wc_ecc_make_key_ex', () => {
  const keygen = async (sz: number, curveId: number) => {
    const { client } = await eccClient();
    const r = await rawPk(client, WcPk.EC_KEYGEN, EccKeyGenRequest.encode({ sz, curveId, keyId: 0, flags: NvmFlags.EPHEMERAL, access: 0, label }, true));
    return { rc: r.rc, len: r.rc === 0 ? new DataView(r.bytes.buffer, r.bytes.byteOffset).getUint32(16, true) : 0 };
  };

  it('by id: P-256/384/521 and secp256k1 (whatever sz says); ids this build lacks (P-192, P-224, brainpool) and unknown ones are ECC_CURVE_OID_E', async () => {
    expect(await keygen(32, WcCurve.SECP256R1)).toEqual({ rc: 0, len: 121 });
    expect(await keygen(0, WcCurve.SECP384R1)).toEqual({ rc: 0, len: 167 });
    expect(await keygen(32, WcCurve.SECP521R1)).toEqual({ rc: 0, len: 223 });
    expect(await keygen(32, WcCurve.SECP256K1)).toEqual({ rc: 0, len: 118 });
    for (const id of [WcCurve.SECP192R1, WcCurve.SECP224R1, WcCurve.BRAINPOOLP256R1, 99]) expect((await keygen(32, id)).rc, `curve ${id}`).toBe(-172);
  });

  it('by size with id 0: the first curve at least that large; over 66 bytes ECC_BAD_ARG_E', async () => {
    expect(await keygen(32, 0)).toEqual({ rc: 0, len: 121 });
    expect(await keygen(24, 0)).toEqual({ rc: 0, len: 121 });
    expect(await keygen(48, 0)).toEqual({ rc: 0, len: 167 });
    expect(await keygen(49, 0)).toEqual({ rc: 0, len: 223 });
    expect(await keygen(66, 0)).toEqual({ rc: 0, len: 223 });
    expect((await keygen(67, 0)).rc).toBe(-170);
  });
});

describe('ECC key lookup and decoding errors', () => {
  it('key id 0 is BADARGS, an absent key NOTFOUND, bytes that are no ECC key ASN_PARSE_E (for every operation)', async () => {
    const { client } = await eccClient();
    const garbage = await client.keyCache(0, new Uint8Array(48).fill(0x5a), { flags: NvmFlags.USAGE_ANY });
    const ecc = client.crypto.ecc;
    const ops = (keyId: number): (() => Promise<{ rc: number }>)[] => [
      () => ecc.sign({ keyId, digest }),
      () => ecc.verify({ keyId, digest, signature: unhex('3006020101020101') }),
      () => ecc.sharedSecret({ privateKeyId: keyId, publicKeyId: keyId }),
      () => ecc.makePublic({ keyId }),
      () => ecc.checkPublic({ keyId }),
    ];
    for (const [keyId, rc] of [
      [0, -2000],
      [0x77, -2104],
      [garbage.keyId, -140],
    ]) {
      const rcs = [];
      for (const op of ops(keyId!)) rcs.push((await op()).rc);
      expect(rcs).toEqual([rc, rc, rc, rc, rc]);
    }
  });

  it('an SPKI naming a curve this build lacks is ECC_CURVE_OID_E; a key with explicit curve parameters ASN_PARSE_E', async () => {
    const { client } = await eccClient();
    const p224 = spkiOf(pair('P-224').publicKey);
    const { keyId } = await client.keyCache(0, p224);
    expect((await client.crypto.ecc.makePublic({ keyId })).rc).toBe(-172);
    const explicit = new Uint8Array(pair('P-256').publicKey.export({ format: 'der', type: 'spki' }));
    expect(explicit[13]).toBe(0x06);
    explicit[13] = 0x30; // the curve OID becomes a SEQUENCE: explicit parameters, not a named curve
    const bad = await client.keyCache(0, explicit);
    expect((await client.crypto.ecc.checkPublic({ keyId: bad.keyId })).rc).toBe(-140);
  });

  it('a public-only key cannot sign (ECC_BAD_ARG_E) nor give a point by MAKE_PUB (ECC_PRIV_KEY_E); it is no ECDH private key (ECC_BAD_ARG_E)', async () => {
    const { client } = await eccClient();
    const k = pair();
    const pub = await client.keyCache(0, spkiOf(k.publicKey), { flags: SIGN | DERIVE });
    expect((await client.crypto.ecc.sign({ keyId: pub.keyId, digest })).rc).toBe(-170);
    expect((await client.crypto.ecc.makePublic({ keyId: pub.keyId })).rc).toBe(-216);
    expect((await client.crypto.ecc.sharedSecret({ privateKeyId: pub.keyId, publicKeyId: pub.keyId })).rc).toBe(-170);
  });
});

describe('ECDSA sign and verify edges', () => {
  it('the digest is signed as given: empty and longer-than-the-order digests sign, and verify with the same bytes', async () => {
    const { client } = await eccClient();
    const k = pair();
    const { keyId } = await client.keyCache(0, sec1Of(k.privateKey), { flags: SIGN | VERIFY });
    for (const d of [new Uint8Array(0), sha('sha512', 'long'), new Uint8Array(20).fill(9)]) {
      const s = await client.crypto.ecc.sign({ keyId, digest: d });
      expect(s.rc).toBe(0);
      const sig = 'signature' in s ? s.signature : new Uint8Array(0);
      expect(p256.verify(sig, d, pointOf(k.publicKey, 'P-256'), { prehash: false, lowS: false, format: 'der' })).toBe(true);
      expect(await client.crypto.ecc.verify({ keyId, digest: d, signature: sig })).toMatchObject({ rc: 0, valid: true });
    }
  });

  it('the sign answer is sz then the DER signature, nothing more', async () => {
    const { client } = await eccClient();
    const { keyId } = await client.keyCache(0, sec1Of(pair().privateKey), { flags: SIGN });
    const r = await rawPk(client, WcPk.ECDSA_SIGN, new Uint8Array([...EccSignRequest.encode({ options: 0, keyId, sz: 32 }, true), ...digest]));
    const sz = new DataView(r.bytes.buffer, r.bytes.byteOffset).getUint32(12, true);
    expect(r.bytes.length).toBe(16 + sz);
    expect(r.bytes[16]).toBe(0x30);
    expect(r.bytes[17]).toBe(sz - 2);
  });

  it('a malformed DER signature is ASN_ECC_KEY_E; r or s zero MP_ZERO_E, not below n MP_VAL; a well-formed wrong one rc 0 res 0', async () => {
    const { client } = await eccClient();
    const k = pair();
    const { keyId } = await client.keyCache(0, spkiOf(k.publicKey), { flags: VERIFY });
    const good = derSignature(5n, 7n);
    const verify = async (signature: Uint8Array) => client.crypto.ecc.verify({ keyId, digest, signature });
    for (const bad of [
      unhex(''),
      unhex('3006020105020107ff'), // trailing byte
      unhex('3007020105020107'), // sequence longer than the data
      unhex('30060201050201'), // truncated
      unhex('3106020105020107'), // not a SEQUENCE
      unhex('3006020185020107'), // negative r
      unhex('300702020005020107'), // non-minimal r
      unhex('3006040105020107'), // r not an INTEGER
      unhex('30090201050201070201'), // a third element
    ]) {
      expect((await verify(bad)).rc, hex(bad)).toBe(-171);
    }
    expect((await verify(derSignature(0n, 7n))).rc).toBe(-121);
    expect((await verify(derSignature(5n, 0n))).rc).toBe(-121);
    expect((await verify(derSignature(n256, 7n))).rc).toBe(-98);
    expect((await verify(derSignature(5n, n256 + 1n))).rc).toBe(-98);
    expect(await verify(good)).toEqual({ rc: 0, valid: false, publicKey: new Uint8Array(0) });
  });

  it('EXPORTPUB returns the SPKI, derived for a private-only key; a stored point off the curve just does not verify', async () => {
    const { client } = await eccClient();
    const k = pair();
    const privateOnly = unhex(`30310201010420${scalarOf(k.privateKey)}a00a0608${P256_OID}`);
    const { keyId } = await client.keyCache(0, privateOnly, { flags: VERIFY });
    const v = await client.crypto.ecc.verify({ keyId, digest, signature: derSignature(5n, 7n), exportPublic: true });
    expect(v).toEqual({ rc: 0, valid: false, publicKey: spkiOf(k.publicKey) });

    const sig = new Uint8Array((await import('node:crypto')).sign('sha256', new TextEncoder().encode('edges'), k.privateKey));
    const point = pointOf(k.publicKey, 'P-256');
    point[64] ^= 1;
    const off = await client.keyCache(0, spkiWith(hex(point)), { flags: VERIFY });
    expect(await client.crypto.ecc.verify({ keyId: off.keyId, digest, signature: sig })).toMatchObject({ rc: 0, valid: false });
  });
});

describe('ECDH edges', () => {
  it('keys on different curves are ECC_BAD_ARG_E; a peer point off the curve IS_POINT_E', async () => {
    const { client } = await eccClient();
    const mine = await client.keyCache(0, sec1Of(pair().privateKey), { flags: DERIVE });
    const p384 = await client.keyCache(0, spkiOf(pair('P-384').publicKey));
    expect((await client.crypto.ecc.sharedSecret({ privateKeyId: mine.keyId, publicKeyId: p384.keyId })).rc).toBe(-170);
    const point = pointOf(pair().publicKey, 'P-256');
    point[64] ^= 1;
    const off = await client.keyCache(0, spkiWith(hex(point)));
    expect((await client.crypto.ecc.sharedSecret({ privateKeyId: mine.keyId, publicKeyId: off.keyId })).rc).toBe(-214);
  });

  it('a private-only key serves as the public side (its point derived); the cached secret keeps flags without TRUSTED and gets a fresh id', async () => {
    const { client } = await eccClient();
    const a = pair();
    const b = pair();
    const privateOnlyB = unhex(`30310201010420${scalarOf(b.privateKey)}a00a0608${P256_OID}`);
    const ka = await client.keyCache(0x10, sec1Of(a.privateKey), { flags: DERIVE });
    const kb = await client.keyCache(0x11, privateOnlyB);
    const out = await client.crypto.ecc.sharedSecret({ privateKeyId: ka.keyId, publicKeyId: kb.keyId });
    const expected = (await import('node:crypto')).diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    expect('secret' in out && hex(out.secret)).toBe(hex(expected));
    const cached = await client.crypto.ecc.sharedSecret({ privateKeyId: ka.keyId, publicKeyId: kb.keyId, cache: { flags: NvmFlags.TRUSTED | DERIVE, label: 'z' } });
    expect(cached).toEqual({ rc: 0, keyId: 0xff, secret: new Uint8Array(0) });
    expect(hex((await client.keyExport(0xff)).data)).toBe(hex(expected)); // TRUSTED would refuse the export
  });
});

describe('EC_MAKE_PUB and EC_CHECK_PUB_KEY edges (spec-crypto 10.5, 10.6)', () => {
  const setup = async () => {
    const { client } = await eccClient();
    const k = pair();
    const d = scalarOf(k.privateKey);
    const point = hex(pointOf(k.publicKey, 'P-256'));
    const other = hex(pointOf(pair().publicKey, 'P-256'));
    const offCurve = point.slice(0, -2) + (point.endsWith('00') ? '01' : '00');
    return { client, d, point, other, offCurve };
  };

  it('MAKE_PUB ignores a wrong stored point: d·G every time', async () => {
    const { client, d, point, other } = await setup();
    const { keyId } = await client.keyCache(0, sec1With(d, other));
    const r = await client.crypto.ecc.makePublic({ keyId });
    expect('publicKey' in r && hex(r.publicKey)).toBe(point);
  });

  it('CHECK_PUB: the key alone, or with its own point: ok', async () => {
    const { client, d, point } = await setup();
    const full = await client.keyCache(0, sec1With(d, point));
    const privateOnly = await client.keyCache(0, unhex(`30310201010420${d}a00a0608${P256_OID}`));
    const publicOnly = await client.keyCache(0, spkiWith(point));
    for (const keyId of [full.keyId, privateOnly.keyId, publicOnly.keyId]) {
      expect((await client.crypto.ecc.checkPublic({ keyId })).rc).toBe(0);
      expect((await client.crypto.ecc.checkPublic({ keyId, publicKey: unhex(point), curve: 'P-384' })).rc).toBe(0); // curveId is ignored
    }
    const raw = await rawPk(client, WcPk.EC_CHECK_PUB_KEY, EccCheckRequest.encode({ options: 0, keyId: full.keyId, curveId: 7, pubSz: 0 }, true));
    expect(hex(raw.bytes)).toBe(`fb000000${'00'.repeat(8)}01000000`);
  });

  it('CHECK_PUB: another valid point ECC_PRIV_KEY_E, a point off the curve IS_POINT_E, another length ECC_PRIV_KEY_E', async () => {
    const { client, d, other, offCurve, point } = await setup();
    const { keyId } = await client.keyCache(0, sec1With(d, point));
    expect((await client.crypto.ecc.checkPublic({ keyId, publicKey: unhex(other) })).rc).toBe(-216);
    expect((await client.crypto.ecc.checkPublic({ keyId, publicKey: unhex(offCurve) })).rc).toBe(-214);
    expect((await client.crypto.ecc.checkPublic({ keyId, publicKey: unhex(point).subarray(0, 33) })).rc).toBe(-216);
  });

  it('CHECK_PUB of the stored key itself: a point not matching d ECC_PRIV_KEY_E, off the curve IS_POINT_E, x ≥ p ECC_OUT_OF_RANGE_E, all zero ECC_INF_E; a zero scalar ECC_PRIV_KEY_E', async () => {
    const { client, d, other, offCurve, point } = await setup();
    const check = async (der: Uint8Array) => (await client.crypto.ecc.checkPublic({ keyId: (await client.keyCache(0x30, der)).keyId })).rc;
    expect(await check(sec1With(d, other))).toBe(-216);
    expect(await check(sec1With(d, offCurve))).toBe(-214);
    expect(await check(spkiWith(offCurve))).toBe(-214);
    expect(await check(spkiWith(`04${hex64(p256p)}${point.slice(66)}`))).toBe(-217);
    expect(await check(spkiWith(`04${'00'.repeat(64)}`))).toBe(-215);
    expect(await check(unhex(`30310201010420${'00'.repeat(32)}a00a0608${P256_OID}`))).toBe(-216);
    expect(await check(sec1With(hex64(n256), point))).toBe(-216);
  });
});

describe('EC_MAKE_PUB / EC_CHECK_PUB_KEY under other PK type numbers', () => {
  it('eccPkTypes adds the numbers of a newer wolfSSL beside the recorded 0xFA/0xFB; the client speaks either', async () => {
    const engine = new InlineEngine(CRYPTO_JOBS);
    const pk = pkFamily({ ...DEFAULT_PK_FAMILIES, ...eccPkTypes({ makePub: 30, checkPub: 31 }) });
    const t = testServer({
      cryptoEngine: engine,
      handlers: { ...DEFAULT_HANDLERS, [Group.CRYPTO]: cryptoHandler({ engine, families: { ...DEFAULT_CRYPTO_FAMILIES, [WcAlgo.PK]: pk } }) },
    });
    const client = t.connect().client;
    await client.commInit(1);
    const k = pair();
    const newer = new EccClient(client, { makePub: 30, checkPub: 31 });
    for (const ecc of [newer, client.crypto.ecc]) {
      const r = await ecc.makePublic({ key: sec1Of(k.privateKey) });
      expect('publicKey' in r && hex(r.publicKey)).toBe(hex(pointOf(k.publicKey, 'P-256')));
      expect((await ecc.checkPublic({ key: sec1Of(k.privateKey) })).rc).toBe(0);
    }
    // A server without them answers NOT_COMPILED_IN.
    const plain = await eccClient();
    expect((await new EccClient(plain.client, { makePub: 30, checkPub: 31 }).makePublic({ key: sec1Of(k.privateKey) })).rc).toBe(-174);
    expect(() => eccPkTypes({ makePub: WcPk.ECDSA_SIGN, checkPub: 31 })).toThrow(/taken/);
  });
});

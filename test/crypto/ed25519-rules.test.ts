import { ED25519_TORSION_SUBGROUP, ed25519, ed25519ctx } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, concatBytes, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { x25519PrivateDer } from '../../src/crypto/curve25519/der.js';
import { ed25519PrivateDer, ed25519PublicDer } from '../../src/crypto/ed25519/der.js';
import { Ed25519Type } from '../../src/crypto/ed25519/messages.js';
import { WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { ED25519_VECTORS } from './helpers/ed25519-fixtures.js';
import { body, hex, pkRaw, pkServer, unhex, utf8 } from './helpers/ed25519-x25519.js';

const { SIGN, VERIFY, EPHEMERAL } = { SIGN: NvmFlags.USAGE_SIGN, VERIFY: NvmFlags.USAGE_VERIFY, EPHEMERAL: NvmFlags.EPHEMERAL };
const V = ED25519_VECTORS.pure[1]!;
const KEY = ed25519PrivateDer(unhex(V.seed), unhex(V.publicKey));
const MSG = unhex(V.message);
const SIG = unhex(V.signature);

async function setup(config = {}) {
  const t = pkServer({ config });
  await t.client.commInit(1);
  return t;
}

/** ED25519_SIGN body: options, keyId, msgSz, type, ctxSz, then message and context. */
const signBody = (o: { options?: number; keyId: number; type?: number; msg?: Uint8Array; ctx?: Uint8Array; msgSz?: number; ctxSz?: number }) => {
  const msg = o.msg ?? MSG;
  const ctx = o.ctx ?? new Uint8Array(0);
  return body([o.options ?? 0, o.keyId, o.msgSz ?? msg.length, o.type ?? Ed25519Type.PURE, o.ctxSz ?? ctx.length], msg, ctx);
};
/** ED25519_VERIFY body: options, keyId, sigSz, msgSz, type, ctxSz, then signature, message and context. */
const verifyBody = (o: { options?: number; keyId: number; type?: number; sig?: Uint8Array; msg?: Uint8Array; ctx?: Uint8Array; ctxSz?: number }) => {
  const sig = o.sig ?? SIG;
  const msg = o.msg ?? MSG;
  const ctx = o.ctx ?? new Uint8Array(0);
  return body([o.options ?? 0, o.keyId, sig.length, msg.length, o.type ?? Ed25519Type.PURE, o.ctxSz ?? ctx.length], sig, msg, ctx);
};
const rcOf = async (client: HsmClient, type: number, b: Uint8Array) => (await pkRaw(client, type, b)).rc;

describe('ED25519_KEYGEN (spec-crypto 12.2)', () => {
  it('EPHEMERAL: the 82-byte wolf DER (v0, [1] public) under key id 0, even with global keys; the public key is the seed\'s', async () => {
    const { client } = await setup();
    const r = await pkRaw(client, WcPk.ED25519_KEYGEN, body([EPHEMERAL, 0, 0xffff], new Uint8Array(24)));
    expect(r.payload.length).toBe(102);
    expect(hex(r.payload.subarray(0, 20))).toBe('0f000000000000000000000000000000' + '52000000');
    const der = r.payload.subarray(20);
    expect(hex(der.subarray(0, 16))).toBe('3050020100300506032b657004220420');
    expect(hex(der.subarray(48, 50))).toBe('8120');
    expect(hex(der.subarray(50))).toBe(hex(ed25519.getPublicKey(der.subarray(16, 48))));
    expect((await client.keyExport(0xff)).rc).toBe(-2104);
    expect((await pkRaw(client, WcPk.ED25519_KEYGEN, body([EPHEMERAL, 0, 0], new Uint8Array(23)))).rc).toBe(-2000);
  });

  it('cached: ids assigned or as asked, the SPKI reply equals EXPORT_PUBLIC and the stored DER\'s public key, label kept, TRUSTED stripped', async () => {
    const { client } = await setup();
    const a = await client.crypto.ed25519.generate({ flags: SIGN | NvmFlags.TRUSTED, label: 'ed label' });
    const b = await client.crypto.ed25519.generate({ keyId: 0x21, flags: SIGN });
    expect([a, b].map((g) => ('keyId' in g ? [g.rc, g.keyId, g.publicKey.length] : g.rc))).toEqual([
      [0, 0xff, 44],
      [0, 0x21, 44],
    ]);
    if (!('publicKey' in a)) throw new Error('keygen');
    const exported = await client.keyExportPublic(0xff, WhKeyAlgo.ED25519);
    expect([exported.rc, hex(exported.publicKey), hex(exported.label.subarray(0, 8))]).toEqual([0, hex(a.publicKey), hex(utf8('ed label'))]);
    const stored = await client.keyExport(0xff);
    expect([stored.rc, stored.data.length, hex(stored.data.subarray(50))]).toEqual([0, 82, hex(a.publicKey.subarray(12))]);
  });

  it('the 128-byte reservation: with 100-byte regular slots an Ed25519 key needs a big slot (three, then NOSPACE) while an X25519 key (82 bytes) still fits a regular one', async () => {
    const { client } = await setup({ keyCacheBufSize: 100 });
    for (let i = 0; i < 3; i++) expect((await client.crypto.ed25519.generate({ flags: SIGN })).rc).toBe(0);
    expect(await client.crypto.ed25519.generate({ flags: SIGN })).toEqual({ rc: -2105 });
    expect((await client.crypto.curve25519.generate({ flags: NvmFlags.USAGE_DERIVE })).rc).toBe(0);
    const def = await setup();
    for (let i = 0; i < 9; i++) expect((await def.client.crypto.ed25519.generate({ flags: SIGN })).rc).toBe(0);
    expect(await def.client.crypto.ed25519.generate({ flags: SIGN })).toEqual({ rc: -2105 });
  });
});

describe('ED25519_SIGN / ED25519_VERIFY request checks (spec-crypto 12.3, 12.4)', () => {
  it('sign BADARGS before any key step, and without evicting: short payload, sizes beyond it, context over 255, type not 255/0/1, a context with pure', async () => {
    const { client } = await setup();
    const { keyId } = await client.keyCache(0, KEY, { flags: SIGN });
    const bad = [
      signBody({ keyId, options: 1 }).subarray(0, 19), // a 31-byte payload
      signBody({ keyId, options: 1, msgSz: MSG.length + 1 }),
      signBody({ keyId, options: 1, type: Ed25519Type.CTX, ctx: new Uint8Array(3), ctxSz: 4 }),
      signBody({ keyId, options: 1, type: Ed25519Type.CTX, ctx: new Uint8Array(256) }),
      signBody({ keyId, options: 1, type: 0xffffffff }),
      signBody({ keyId, options: 1, type: 2 }),
      signBody({ keyId, options: 1, ctx: utf8('c') }),
    ];
    for (const b of bad) expect(await rcOf(client, WcPk.ED25519_SIGN, b)).toBe(-2000);
    expect((await client.keyExport(keyId)).rc).toBe(0);
    const max = await pkRaw(client, WcPk.ED25519_SIGN, signBody({ keyId, type: Ed25519Type.CTX, ctx: new Uint8Array(255).fill(1) }));
    expect([max.rc, max.payload.length]).toEqual([0, 80]);
  });

  it('verify BADARGS likewise; a context with pure is accepted (and ignored); sigSz not 64, S ≥ L, a public key that is no point: BAD_FUNC_ARG', async () => {
    const { client } = await setup();
    const { keyId } = await client.keyCache(0, ed25519PublicDer(unhex(V.publicKey)), { flags: VERIFY });
    for (const b of [
      verifyBody({ keyId }).subarray(0, 23), // a 35-byte payload
      verifyBody({ keyId, ctx: new Uint8Array(2), ctxSz: 3 }),
      verifyBody({ keyId, type: Ed25519Type.CTX, ctx: new Uint8Array(256) }),
      verifyBody({ keyId, type: 0xffffffff }),
    ])
      expect(await rcOf(client, WcPk.ED25519_VERIFY, b)).toBe(-2000);
    expect(hex((await pkRaw(client, WcPk.ED25519_VERIFY, verifyBody({ keyId, ctx: utf8('ignored') }))).payload)).toBe('0e000000000000000000000001000000');
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId, sig: SIG.subarray(0, 63) }))).toBe(-173);
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId, sig: Uint8Array.from([...SIG, 0]) }))).toBe(-173);
    const highS = SIG.slice();
    highS[63] = 0xff;
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId, sig: highS }))).toBe(-173);
    let notAPoint = new Uint8Array(32);
    for (let y = 2; ; y++) {
      notAPoint = new Uint8Array(32);
      notAPoint[0] = y;
      try {
        ed25519.Point.fromBytes(notAPoint, true);
      } catch {
        break;
      }
    }
    const off = await client.keyCache(0, ed25519PublicDer(notAPoint), { flags: VERIFY });
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: off.keyId }))).toBe(-173);
    const wrong = SIG.slice();
    wrong[0]! ^= 1;
    expect(hex((await pkRaw(client, WcPk.ED25519_VERIFY, verifyBody({ keyId, sig: wrong }))).payload)).toBe('0e0000001bffffff00000000');
  });
});

describe('Ed25519 verification is cofactorless, as wolfCrypt (not the cofactored check noble and ZIP-215 use)', () => {
  it('a signature by a key with an order-8 component verifies under [8]-cofactored rules but is SIG_VERIFY_E here, pure and ctx', async () => {
    const { client } = await setup();
    const B = ed25519.Point.BASE;
    const L = ed25519.Point.Fn.ORDER;
    const T = ed25519.Point.fromHex(ED25519_TORSION_SUBGROUP[1]!); // order 8
    const a = 0x1234567890abcdefn;
    const A = B.multiply(a).add(T).toBytes();
    const message = utf8('mixed-order key');
    const context = utf8('ctx');
    for (const [variant, dom] of [
      ['pure', new Uint8Array(0)],
      ['ctx', concatBytes(utf8('SigEd25519 no Ed25519 collisions'), Uint8Array.of(0, context.length), context)],
    ] as const) {
      // S = r + k·a: [S]B = R + [k]A - [k]T, so only the cofactored check ([8] kills T) accepts it, unless 8 divides k.
      let sig = new Uint8Array(0);
      for (let r = 7n; ; r++) {
        const R = B.multiply(r).toBytes();
        const k = bytesToNumberLE(sha512(concatBytes(dom, R, A, message))) % L;
        if (k % 8n === 0n) continue;
        sig = concatBytes(R, numberToBytesLE((r + k * a) % L, 32));
        break;
      }
      const cofactored = variant === 'pure' ? ed25519.verify(sig, message, A, { zip215: true }) : ed25519ctx.verify(sig, message, A, { context, zip215: true });
      expect({ variant, cofactored }).toEqual({ variant, cofactored: true });
      const ctx = variant === 'ctx' ? context : undefined;
      expect(await client.crypto.ed25519.verify({ key: ed25519PublicDer(A), message, signature: sig, variant, ...(ctx && { context: ctx }) })).toEqual({ rc: 0, valid: false });
    }
  });
});

describe('Ed25519 keys, usage and EVICT', () => {
  it('usage: sign needs SIGN, verify needs VERIFY; key number 0 BADARGS; absent NOTFOUND', async () => {
    const { client } = await setup();
    const signOnly = await client.keyCache(0, KEY, { flags: SIGN });
    const verifyOnly = await client.keyCache(0, KEY, { flags: VERIFY });
    const none = await client.keyCache(0, KEY, { flags: NvmFlags.USAGE_ANY & ~(SIGN | VERIFY) });
    expect(hex((await pkRaw(client, WcPk.ED25519_SIGN, signBody({ keyId: signOnly.keyId }))).payload)).toBe(`06000000000000000000000040000000${V.signature}`);
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: verifyOnly.keyId }))).toBe(-2009);
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: none.keyId }))).toBe(-2009);
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: verifyOnly.keyId }))).toBe(0);
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: signOnly.keyId }))).toBe(-2009);
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: none.keyId }))).toBe(-2009);
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: 0 }))).toBe(-2000);
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: 0x100 }))).toBe(-2000);
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: 0x55 }))).toBe(-2104);
  });

  it('key forms: an SPKI cannot sign (BAD_FUNC_ARG); undecodable or X25519 keys ASN_PARSE_E; PKCS#8 without the public key verifies and exports its derived SPKI', async () => {
    const { client } = await setup();
    const spki = await client.keyCache(0, ed25519PublicDer(unhex(V.publicKey)), { flags: SIGN | VERIFY });
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: spki.keyId }))).toBe(-173);
    for (const der of [new Uint8Array(82).fill(0x30), x25519PrivateDer(new Uint8Array(32), new Uint8Array(32)), KEY.subarray(0, 60)]) {
      const k = await client.keyCache(0, der, { flags: SIGN | VERIFY });
      expect([await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: k.keyId })), await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: k.keyId }))]).toEqual([-140, -140]);
      expect((await client.keyExportPublic(k.keyId, WhKeyAlgo.ED25519)).rc).toBe(-140);
    }
    const pkcs8 = await client.keyCache(0, Uint8Array.from([...unhex('302e020100300506032b657004220420'), ...unhex(V.seed)]), { flags: VERIFY });
    expect(await rcOf(client, WcPk.ED25519_VERIFY, verifyBody({ keyId: pkcs8.keyId }))).toBe(0);
    expect(hex((await client.keyExportPublic(pkcs8.keyId, WhKeyAlgo.ED25519)).publicKey)).toBe(hex(ed25519PublicDer(unhex(V.publicKey))));
  });

  it('EVICT (bit 0) drops the key after sign or verify, also after a usage failure or a failed verification', async () => {
    const { client } = await setup();
    const present = async (id: number) => (await client.keyExport(id)).rc === 0;
    const cases: [number, Uint8Array | ((id: number) => Uint8Array), number, number][] = [
      [SIGN, (keyId) => signBody({ keyId, options: 1 }), WcPk.ED25519_SIGN, 0],
      [VERIFY, (keyId) => signBody({ keyId, options: 1 }), WcPk.ED25519_SIGN, -2009],
      [VERIFY, (keyId) => verifyBody({ keyId, options: 1 }), WcPk.ED25519_VERIFY, 0],
      [VERIFY, (keyId) => verifyBody({ keyId, options: 1, msg: utf8('other') }), WcPk.ED25519_VERIFY, -229],
    ];
    for (const [flags, make, type, rc] of cases) {
      const { keyId } = await client.keyCache(0, KEY, { flags });
      expect(await rcOf(client, type, (make as (id: number) => Uint8Array)(keyId))).toBe(rc);
      expect(await present(keyId)).toBe(false);
    }
    const kept = await client.keyCache(0, KEY, { flags: SIGN });
    expect(await rcOf(client, WcPk.ED25519_SIGN, signBody({ keyId: kept.keyId }))).toBe(0);
    expect(await present(kept.keyId)).toBe(true);
  });
});

import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { RsaOp, RsaRequest, type RsaOpType } from '../../src/crypto/rsa/messages.js';
import { WcAlgo, WcPk } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { big, bytesOf, derOf, hex, numbersOf, rsaClient } from './helpers/rsa.js';

const F = NvmFlags;
const ANY = F.USAGE_ANY;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PKCS1 = derOf(privateKey, 'pkcs1');
const { n, size: K } = numbersOf(privateKey);
const input = Uint8Array.from({ length: K }, (_, i) => (i === 0 ? 0 : i));

/** A raw PK request with the generic header; answers the rc and the payload. */
async function raw(client: HsmClient, algoType: number, body: Uint8Array): Promise<{ rc: number; payload: Uint8Array }> {
  body.set(CryptoRequestHeader.encode({ algoType, algoSubType: 0, affinity: 0 }, true));
  const r = await client.request(kind(Group.CRYPTO, WcAlgo.PK), body);
  expect(r.u32(0)).toBe(algoType);
  return { rc: r.i32(4), payload: r.bytes };
}

async function cached(client: HsmClient, flags: number, der: Uint8Array = PKCS1): Promise<number> {
  const r = await client.keyCache(0, der, { flags });
  expect(r.rc).toBe(0);
  return r.keyId;
}

const op = (client: HsmClient, keyId: number, o: RsaOpType, extra: { input?: Uint8Array; outLen?: number; evict?: boolean } = {}) =>
  client.crypto.rsa.function({ keyId, op: o, input: extra.input ?? input, ...(extra.outLen !== undefined ? { outLen: extra.outLen } : {}), ...(extra.evict ? { evict: true } : {}) });

describe('RSA usage rules (spec-keys-crypto 2.2)', () => {
  const matrix: [RsaOpType, string, number, number][] = [
    [RsaOp.PUBLIC_ENCRYPT, 'ENCRYPT', F.USAGE_ENCRYPT, 0],
    [RsaOp.PUBLIC_ENCRYPT, 'all but ENCRYPT', ANY & ~F.USAGE_ENCRYPT, -2009],
    [RsaOp.PUBLIC_DECRYPT, 'DECRYPT', F.USAGE_DECRYPT, 0],
    [RsaOp.PUBLIC_DECRYPT, 'VERIFY (the verify fallback)', F.USAGE_VERIFY, 0],
    [RsaOp.PUBLIC_DECRYPT, 'all but DECRYPT and VERIFY', ANY & ~(F.USAGE_DECRYPT | F.USAGE_VERIFY), -2009],
    [RsaOp.PRIVATE_ENCRYPT, 'ENCRYPT', F.USAGE_ENCRYPT, 0],
    [RsaOp.PRIVATE_ENCRYPT, 'SIGN (the sign fallback)', F.USAGE_SIGN, 0],
    [RsaOp.PRIVATE_ENCRYPT, 'all but ENCRYPT and SIGN', ANY & ~(F.USAGE_ENCRYPT | F.USAGE_SIGN), -2009],
    [RsaOp.PRIVATE_DECRYPT, 'DECRYPT', F.USAGE_DECRYPT, 0],
    [RsaOp.PRIVATE_DECRYPT, 'all but DECRYPT (no fallback)', ANY & ~F.USAGE_DECRYPT, -2009],
    [RsaOp.PUBLIC_ENCRYPT, 'SIGN only (no fallback for op 0)', F.USAGE_SIGN, -2009],
  ];
  for (const [o, what, flags, rc] of matrix) {
    it(`op ${o} with ${what} → ${rc}`, async () => {
      const { client } = rsaClient();
      const keyId = await cached(client, flags);
      const r = await op(client, keyId, o);
      expect(r.rc).toBe(rc);
      if (rc === 0) expect('output' in r && r.output.length).toBe(K);
    });
  }

  it('GET_SIZE needs no usage; a revoked key (usage bits cleared) serves no operation', async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, 0);
    expect(await client.crypto.rsa.getSize({ keyId })).toEqual({ rc: 0, size: 128 });
    const all = await cached(client, ANY);
    expect((await op(client, all, RsaOp.PUBLIC_ENCRYPT)).rc).toBe(0);
    expect(await client.keyRevoke(all)).toBe(0);
    for (const o of [0, 1, 2, 3] as const) expect((await op(client, all, o)).rc).toBe(-2009);
  });
});

describe('RSA EVICT option (spec-keys-crypto 1.6)', () => {
  const present = async (client: HsmClient, keyId: number) => (await client.keyExport(keyId)).rc === 0;

  it('evicts after a success, after a usage failure and after a wolfCrypt failure', async () => {
    const { client } = rsaClient();
    const ok = await cached(client, F.USAGE_DECRYPT);
    expect((await op(client, ok, RsaOp.PRIVATE_DECRYPT, { evict: true })).rc).toBe(0);
    expect(await present(client, ok)).toBe(false);
    const denied = await cached(client, F.USAGE_SIGN);
    expect((await op(client, denied, RsaOp.PRIVATE_DECRYPT, { evict: true })).rc).toBe(-2009);
    expect(await present(client, denied)).toBe(false);
    const small = await cached(client, F.USAGE_ENCRYPT);
    expect((await op(client, small, RsaOp.PUBLIC_ENCRYPT, { outLen: K - 1, evict: true })).rc).toBe(-131);
    expect(await present(client, small)).toBe(false);
  });

  it('keeps the key without the option, and for an unknown op (refused before the key is touched)', async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, ANY);
    expect((await op(client, keyId, RsaOp.PUBLIC_ENCRYPT)).rc).toBe(0);
    expect(await present(client, keyId)).toBe(true);
    expect((await op(client, keyId, 7 as RsaOpType, { evict: true })).rc).toBe(-173);
    expect(await present(client, keyId)).toBe(true);
  });

  it('GET_SIZE evicts with the option, even when the key does not decode', async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, 0);
    expect(await client.crypto.rsa.getSize({ keyId, evict: true })).toEqual({ rc: 0, size: 128 });
    expect(await present(client, keyId)).toBe(false);
    const bad = await cached(client, 0, new Uint8Array(64).fill(0x5a));
    expect((await client.crypto.rsa.getSize({ keyId: bad, evict: true })).rc).toBe(-140);
    expect(await present(client, bad)).toBe(false);
  });
});

describe('RSA function inputs and errors (spec-crypto 9.2, 9.3)', () => {
  it('short payloads and an input beyond the payload are BADARGS; an unknown op BAD_FUNC_ARG', async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, ANY);
    expect((await raw(client, WcPk.RSA, new Uint8Array(31))).rc).toBe(-2000);
    const req = (inLen: number, opType = 0) => RsaRequest.encode({ opType, options: 0, keyId, inLen, outLen: 512 }, true);
    const body = new Uint8Array(32 + 10);
    body.set(req(11));
    expect((await raw(client, WcPk.RSA, body)).rc).toBe(-2000);
    body.set(req(10, 4));
    expect((await raw(client, WcPk.RSA, body)).rc).toBe(-173);
    expect((await raw(client, WcPk.RSA_GET_SIZE, new Uint8Array(19))).rc).toBe(-2000);
    const failed = await raw(client, WcPk.RSA, new Uint8Array(31));
    expect(hex(failed.payload)).toBe('01000000' + '30f8ffff' + '00000000');
  });

  it("wolfCrypt's checks: empty input or output room, input longer than k, room shorter than k", async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, ANY);
    expect((await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { input: new Uint8Array(0) })).rc).toBe(-173);
    expect((await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { outLen: 0 })).rc).toBe(-173);
    expect((await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { input: new Uint8Array(K + 1) })).rc).toBe(-173);
    expect((await op(client, keyId, RsaOp.PRIVATE_DECRYPT, { outLen: K - 1 })).rc).toBe(-131);
    expect((await op(client, keyId, RsaOp.PRIVATE_DECRYPT, { outLen: K })).rc).toBe(0);
  });

  it('key lookup: number 0 BADARGS, absent NOTFOUND, bytes that are no RSA key ASN_PARSE_E', async () => {
    const { client } = rsaClient();
    expect((await op(client, 0, RsaOp.PUBLIC_ENCRYPT)).rc).toBe(-2000);
    expect((await op(client, 0x42, RsaOp.PUBLIC_ENCRYPT)).rc).toBe(-2104);
    expect((await client.crypto.rsa.getSize({ keyId: 0x42 })).rc).toBe(-2104);
    const bad = await cached(client, ANY, Uint8Array.from({ length: 100 }, (_, i) => i));
    expect((await op(client, bad, RsaOp.PUBLIC_ENCRYPT)).rc).toBe(-140);
    expect((await client.keyExportPublic(bad, 1)).rc).toBe(-140);
    // An EC key is not an RSA key either.
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const ecId = await cached(client, ANY, derOf(ec, 'pkcs8'));
    expect((await client.crypto.rsa.getSize({ keyId: ecId })).rc).toBe(-140);
  });

  it('an input shorter than k is a big-endian number; one ≥ n is reduced mod n first (wolfCrypt exponentiates it)', async () => {
    const { client } = rsaClient();
    const keyId = await cached(client, ANY);
    const five = bytesOf(5n, K);
    const expected = await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { input: five });
    expect('output' in expected && hex(expected.output)).toBe(hex(publicEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, five)));
    const short = await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { input: Uint8Array.of(5) });
    expect(short).toEqual(expected);
    const above = await op(client, keyId, RsaOp.PUBLIC_ENCRYPT, { input: bytesOf(n + 5n, K) });
    expect(above).toEqual(expected);
    // And for a private op: (n + m)^d = m^d.
    const m = bytesOf(big(input), K);
    const a = await op(client, keyId, RsaOp.PRIVATE_ENCRYPT, { input: m });
    const b = await op(client, keyId, RsaOp.PRIVATE_ENCRYPT, { input: bytesOf(n + big(input), K) });
    expect(a.rc).toBe(0);
    expect(b).toEqual(a);
  });

  it('every stored encoding decodes: PKCS#1 and PKCS#8 private, SPKI and PKCS#1 public; a public-only key refuses private ops', async () => {
    const { client } = rsaClient();
    const pub = createPublicKey(privateKey);
    for (const [der, isPrivate] of [
      [derOf(privateKey, 'pkcs8'), true],
      [derOf(pub, 'spki'), false],
      [derOf(pub, 'pkcs1'), false],
    ] as const) {
      const keyId = await cached(client, ANY, der);
      expect(await client.crypto.rsa.getSize({ keyId })).toEqual({ rc: 0, size: K });
      const e = await op(client, keyId, RsaOp.PUBLIC_ENCRYPT);
      expect(e.rc).toBe(0);
      const d = await op(client, keyId, RsaOp.PRIVATE_DECRYPT, { input: 'output' in e ? e.output : input });
      if (isPrivate) expect('output' in d && hex(d.output)).toBe(hex(input));
      else expect(d.rc).toBe(-173);
      expect((await op(client, keyId, RsaOp.PRIVATE_ENCRYPT, { evict: true })).rc).toBe(isPrivate ? 0 : -173);
    }
  });
});

describe('RSA keygen request checks (spec-crypto 9.1)', () => {
  it('short payload BADARGS; size outside 1024..4096 or an even or small exponent BAD_FUNC_ARG', async () => {
    const { client } = rsaClient();
    expect((await raw(client, WcPk.RSA_KEYGEN, new Uint8Array(51))).rc).toBe(-2000);
    for (const [bits, e] of [
      [512, 65537],
      [1008, 65537],
      [4112, 65537],
      [2048, 65536],
      [2048, 1],
      [2048, 0],
    ] as const) {
      expect((await client.crypto.rsa.generate({ bits, e, ephemeral: true })).rc, `${bits} bits, e ${e}`).toBe(-173);
    }
  });
});

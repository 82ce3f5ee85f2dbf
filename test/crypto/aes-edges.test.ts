import { describe, expect, it } from 'vitest';
import { aesCbc, aesCtr, aesEcb, aesGcmDecrypt, aesGcmEncrypt } from '../../src/client/crypto/aes.js';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import { AesBlockRequest, AesCtrRequest, AesGcmRequest, concatBytes } from '../../src/protocol/messages/crypto-aes.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { aesCmacClient, aesCmacServer, hex, unhex } from './helpers/aes-cmac.js';

const CIPHER = kind(Group.CRYPTO, 2);
const ECB = 13;
const CBC = 2;
const CTR = 4;
const GCM = 3;
const key16 = unhex('000102030405060708090a0b0c0d0e0f');

/** A raw CIPHER request: the generic header over the struct bytes, as the C client sends it. */
function raw(algoType: number, body: Uint8Array): Uint8Array {
  body.set(CryptoRequestHeader.encode({ algoType, algoSubType: 0, affinity: 0 }, true), 0);
  return body;
}
const send = async (client: HsmClient, algoType: number, body: Uint8Array) => hex((await client.request(CIPHER, raw(algoType, body))).bytes);
const failure = (algoType: number, rc: number) => hex(new Uint8Array(new Int32Array([algoType, rc, 0]).buffer));

const ecbReq = (enc: number, input: Uint8Array, key: Uint8Array, keyId = 0) => AesBlockRequest.encode({ enc, keyLen: key.length, sz: input.length, keyId, data: concatBytes(input, key) }, true);

describe('AES-ECB edge rows (spec-crypto 4.1, 4.2)', () => {
  it('a 20-byte input is BAD_LENGTH_E: exactly the observed 0d000000 e9feffff 00000000', async () => {
    const { client } = aesCmacClient();
    expect(await send(client, ECB, ecbReq(1, new Uint8Array(20), key16))).toBe('0d000000e9feffff00000000');
    expect(await send(client, ECB, ecbReq(0, new Uint8Array(20), key16))).toBe('0d000000e9feffff00000000');
  });

  it('the exact size rule: one byte more or less than 28 + sz + keyLen is BADARGS, as is a payload shorter than the struct', async () => {
    const { client } = aesCmacClient();
    const good = ecbReq(1, new Uint8Array(16), key16);
    expect((await client.request(CIPHER, raw(ECB, good))).length).toBe(44);
    expect(await send(client, ECB, concatBytes(good, new Uint8Array(1)))).toBe(failure(ECB, -2000));
    expect(await send(client, ECB, good.slice(0, good.length - 1))).toBe(failure(ECB, -2000));
    expect(await send(client, ECB, new Uint8Array(27))).toBe(failure(ECB, -2000));
  });

  it('the answer: sz, 12 zero pad bytes, the output; an empty input answers 28 bytes', async () => {
    const { client } = aesCmacClient();
    const r = await send(client, ECB, ecbReq(1, unhex('00112233445566778899aabbccddeeff'), key16));
    expect(r).toBe('0d000000' + '00000000' + '00000000' + '10000000' + '00'.repeat(12) + '69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(await send(client, ECB, ecbReq(1, new Uint8Array(0), key16))).toBe('0d000000' + '00'.repeat(8) + '00000000' + '00'.repeat(12));
  });

  it('the key used must be 16, 24 or 32 bytes: an inline key of 0, 8, 17 or 33 bytes is BADARGS', async () => {
    const { client } = aesCmacClient();
    for (const n of [0, 8, 17, 33]) expect(await send(client, ECB, ecbReq(1, new Uint8Array(16), new Uint8Array(n)))).toBe(failure(ECB, -2000));
  });

  it('a big-endian client gets a big-endian answer', async () => {
    const { server } = aesCmacServer();
    const conn = server.connectMemory().client;
    const body = AesBlockRequest.encode({ enc: 1, keyLen: 16, sz: 16, keyId: 0, data: concatBytes(unhex('00112233445566778899aabbccddeeff'), key16) }, false);
    body.set(CryptoRequestHeader.encode({ algoType: ECB, algoSubType: 0, affinity: 0 }, false), 0);
    const p = decodePacket(await conn.request(encodePacket({ magic: 0xa501, kind: CIPHER, seq: 1, aux: 0, littleEndian: false }, body)))!;
    expect(hex(p.payload)).toBe('0000000d' + '00000000' + '00000000' + '00000010' + '00'.repeat(12) + '69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('cipher types that are not served (AES 1, XTS 5, CFB 6, CCM 12) answer NOT_COMPILED_IN', async () => {
    const { client } = aesCmacClient();
    for (const t of [1, 5, 6, 12]) expect(await send(client, t, ecbReq(1, new Uint8Array(16), key16))).toBe(failure(t, -174));
  });
});

describe('AES-CBC edge rows (spec-crypto 4.3)', () => {
  const cbcReq = (enc: number, input: Uint8Array, key: Uint8Array, iv: Uint8Array) => AesBlockRequest.encode({ enc, keyLen: key.length, sz: input.length, keyId: 0, data: concatBytes(input, key, iv) }, true);
  const iv = unhex('000102030405060708090a0b0c0d0e0f');

  it('a partial last block on encrypt: whole blocks encrypted, the trailing input bytes answered as they were, IV = last full ciphertext block [observed]', async () => {
    const { client } = aesCmacClient();
    const input = unhex('000102030405060708090a0b0c0d0e0f10111213');
    const whole = await aesCbc(client, { key: key16, encrypt: true, iv, data: input.subarray(0, 16) });
    if (!('data' in whole)) throw new Error(`rc ${whole.rc}`);
    const r = await send(client, CBC, cbcReq(1, input, key16, iv));
    expect(r).toBe('02000000' + '00'.repeat(8) + '14000000' + '00'.repeat(12) + hex(whole.data) + '10111213' + hex(whole.data));
    // Fewer than 16 bytes: nothing encrypted, the IV unchanged.
    expect(await send(client, CBC, cbcReq(1, unhex('aabbcc'), key16, iv))).toBe('02000000' + '00'.repeat(8) + '03000000' + '00'.repeat(12) + 'aabbcc' + hex(iv));
  });

  it('a partial block on decrypt is BAD_FUNC_ARG -173 [observed]', async () => {
    const { client } = aesCmacClient();
    expect(await send(client, CBC, cbcReq(0, new Uint8Array(20), key16, iv))).toBe(failure(CBC, -173));
    expect(await send(client, CBC, cbcReq(0, new Uint8Array(15), key16, iv))).toBe(failure(CBC, -173));
  });

  it('the size must be exactly 44 + sz + keyLen; an empty input answers the IV back', async () => {
    const { client } = aesCmacClient();
    const good = cbcReq(1, new Uint8Array(16), key16, iv);
    expect(await send(client, CBC, good.slice(0, good.length - 1))).toBe(failure(CBC, -2000));
    expect(await send(client, CBC, concatBytes(good, new Uint8Array(16)))).toBe(failure(CBC, -2000));
    expect(await send(client, CBC, cbcReq(0, new Uint8Array(0), key16, iv))).toBe('02000000' + '00'.repeat(8) + '00000000' + '00'.repeat(12) + hex(iv));
  });
});

describe('AES-CTR edge rows (spec-crypto 4.4)', () => {
  const ctrReq = (o: { enc?: number; input: Uint8Array; key: Uint8Array; reg: Uint8Array; tmp: Uint8Array; left: number }) =>
    AesCtrRequest.encode({ enc: o.enc ?? 1, keyLen: o.key.length, sz: o.input.length, left: o.left, keyId: 0, data: concatBytes(o.input, o.key, o.reg, o.tmp) }, true);

  it('the observed example: key 01x16, reg ..fe, 20 zero bytes -> output, reg ..0100, tmp c1d04c26.., left 12', async () => {
    const { client } = aesCmacClient();
    const reg = unhex('000000000000000000000000000000fe');
    const r = await send(client, CTR, ctrReq({ input: new Uint8Array(20), key: new Uint8Array(16).fill(1), reg, tmp: new Uint8Array(16), left: 0 }));
    expect(r).toBe(
      '04000000' + '00'.repeat(8) + '14000000' + '0c000000' + '00'.repeat(12) +
        '47000c4406d50fa08f0d257510309973c1d04c26' + '00000000000000000000000000000100' + 'c1d04c2691b4284280e2b7482aba4bb5',
    );
  });

  it('leftover keystream is used first: the last `left` bytes of tmp, and tmp comes back unchanged without a partial block', async () => {
    const { client } = aesCmacClient();
    const tmp = unhex('00112233445566778899aabbccddeeff');
    const reg = new Uint8Array(16);
    const r = await aesCtr(client, { key: key16, state: { reg, tmp, left: 3 }, data: new Uint8Array(2) });
    if (!('data' in r)) throw new Error(`rc ${r.rc}`);
    expect(hex(r.data)).toBe('ddee');
    expect(r.state.left).toBe(1);
    expect(hex(r.state.tmp)).toBe(hex(tmp));
    expect(hex(r.state.reg)).toBe(hex(reg));
    // 1 leftover byte, then one whole block from reg 0 (tmp untouched), left 0.
    const r2 = await aesCtr(client, { key: key16, state: r.state, data: new Uint8Array(17) });
    if (!('data' in r2)) throw new Error(`rc ${r2.rc}`);
    const block = await aesEcb(client, { key: key16, encrypt: true, data: new Uint8Array(16) });
    expect(hex(r2.data)).toBe('ff' + ('data' in block ? hex(block.data) : ''));
    expect(hex(r2.state.tmp)).toBe(hex(tmp));
    expect(hex(r2.state.reg)).toBe('00000000000000000000000000000001');
    expect(r2.state.left).toBe(0);
  });

  it('the counter wraps as one 128-bit big-endian number', async () => {
    const { client } = aesCmacClient();
    const r = await aesCtr(client, { key: key16, state: { reg: new Uint8Array(16).fill(0xff), tmp: new Uint8Array(16), left: 0 }, data: new Uint8Array(32) });
    expect('state' in r && hex(r.state.reg)).toBe('00000000000000000000000000000001');
  });

  it('left 17 is BADARGS, left 16 is fine; the size must be exactly 64 + sz + keyLen; enc 0 computes the same stream', async () => {
    const { client } = aesCmacClient();
    const base = { input: new Uint8Array(5), key: key16, reg: new Uint8Array(16), tmp: new Uint8Array(16).fill(7) };
    expect(await send(client, CTR, ctrReq({ ...base, left: 17 }))).toBe(failure(CTR, -2000));
    const r16 = await send(client, CTR, ctrReq({ ...base, left: 16 }));
    expect(r16.slice(64, 74)).toBe('0707070707'); // five keystream bytes of tmp, XORed with zeros
    const good = ctrReq({ ...base, left: 0 });
    expect(await send(client, CTR, good.slice(0, good.length - 1))).toBe(failure(CTR, -2000));
    expect(await send(client, CTR, concatBytes(good, new Uint8Array(1)))).toBe(failure(CTR, -2000));
    expect(await send(client, CTR, ctrReq({ ...base, left: 0, enc: 0 }))).toBe(await send(client, CTR, good));
  });
});

describe('AES-GCM edge rows (spec-crypto 4.5)', () => {
  const iv = new Uint8Array(12);
  const gcmReq = (o: { enc: number; input: Uint8Array; key: Uint8Array; iv: Uint8Array; aad?: Uint8Array; tagSz: number; tag?: Uint8Array; keyId?: number }) => {
    const aad = o.aad ?? new Uint8Array(0);
    const fields = { enc: o.enc, keyLen: o.key.length, sz: o.input.length, ivSz: o.iv.length, authInSz: aad.length, authTagSz: o.tagSz, keyId: o.keyId ?? 0 };
    return AesGcmRequest.encode({ ...fields, data: concatBytes(o.input, o.key, o.iv, aad, o.tag ?? new Uint8Array(0)) }, true);
  };

  it('the observed example (test case 2): sz, authTagSz, 20 zero pad bytes, ciphertext, tag; decrypt answers authTagSz 0', async () => {
    const { client } = aesCmacClient();
    const enc = await send(client, GCM, gcmReq({ enc: 1, input: new Uint8Array(16), key: new Uint8Array(16), iv, tagSz: 16 }));
    expect(enc).toBe('03000000' + '00'.repeat(8) + '10000000' + '10000000' + '00'.repeat(20) + '0388dace60b6a392f328c2b971b2fe78' + 'ab6e47d42cec13bdf53a67b21257bddf');
    const dec = await send(client, GCM, gcmReq({ enc: 0, input: unhex('0388dace60b6a392f328c2b971b2fe78'), key: new Uint8Array(16), iv, tagSz: 16, tag: unhex('ab6e47d42cec13bdf53a67b21257bddf') }));
    expect(dec).toBe('03000000' + '00'.repeat(8) + '10000000' + '00000000' + '00'.repeat(20) + '00'.repeat(16));
  });

  it('encrypt tag sizes outside 12..16 and an empty IV are BAD_FUNC_ARG; decrypt tags of 0 or 17 bytes too', async () => {
    const { client } = aesCmacClient();
    const k = new Uint8Array(16);
    for (const tagSz of [0, 8, 11, 17]) expect(await send(client, GCM, gcmReq({ enc: 1, input: new Uint8Array(16), key: k, iv, tagSz }))).toBe(failure(GCM, -173));
    expect(await send(client, GCM, gcmReq({ enc: 1, input: new Uint8Array(16), key: k, iv: new Uint8Array(0), tagSz: 16 }))).toBe(failure(GCM, -173));
    expect(await send(client, GCM, gcmReq({ enc: 0, input: new Uint8Array(16), key: k, iv, tagSz: 0 }))).toBe(failure(GCM, -173));
    expect(await send(client, GCM, gcmReq({ enc: 0, input: new Uint8Array(16), key: k, iv, tagSz: 17, tag: new Uint8Array(17) }))).toBe(failure(GCM, -173));
    expect(await aesGcmDecrypt(client, { key: k, iv: new Uint8Array(0), data: new Uint8Array(16), tag: new Uint8Array(16) })).toEqual({ rc: -173 });
  });

  it('a wrong tag is AES_GCM_AUTH_E -180 with a 12-byte answer (no output)', async () => {
    const { client } = aesCmacClient();
    const dec = await send(client, GCM, gcmReq({ enc: 0, input: unhex('0388dace60b6a392f328c2b971b2fe78'), key: new Uint8Array(16), iv, tagSz: 16, tag: new Uint8Array(16) }));
    expect(dec).toBe(failure(GCM, -180));
  });

  it('the size must be exactly 40 + sz + keyLen + ivSz + authInSz (+ authTagSz when decrypting)', async () => {
    const { client } = aesCmacClient();
    const k = new Uint8Array(16);
    const enc = gcmReq({ enc: 1, input: new Uint8Array(16), key: k, iv, aad: new Uint8Array(5), tagSz: 16 });
    expect(await send(client, GCM, concatBytes(enc, new Uint8Array(16)))).toBe(failure(GCM, -2000)); // a tag is not sent when encrypting
    expect(await send(client, GCM, enc.slice(0, enc.length - 1))).toBe(failure(GCM, -2000));
    const dec = gcmReq({ enc: 0, input: new Uint8Array(16), key: k, iv, tagSz: 16, tag: new Uint8Array(16) });
    expect(await send(client, GCM, dec.slice(0, dec.length - 16))).toBe(failure(GCM, -2000));
  });

  it('an answer that would not fit the comm buffer (28 + sz + tag > DATA_LEN - 12) is BADARGS', async () => {
    const { client } = aesCmacClient();
    // A stored key (keyLen 0) and a 1-byte IV: the request fits, the answer with its tag would not.
    const { keyId } = await client.keyCache(0, new Uint8Array(16), { flags: 0x20 });
    const big = gcmReq({ enc: 1, input: new Uint8Array(8137), key: new Uint8Array(0), iv: new Uint8Array(1), tagSz: 16, keyId });
    expect(big.length).toBeLessThanOrEqual(8192);
    expect(await send(client, GCM, big)).toBe(failure(GCM, -2000));
    const fits = await aesGcmEncrypt(client, { keyId, iv: new Uint8Array(1), data: new Uint8Array(8136) });
    expect('tag' in fits && fits.data.length).toBe(8136);
  });
});

import { describe, expect, it } from 'vitest';
import { cmacFinal, cmacGenerate, cmacStart, cmacUpdate } from '../../src/client/crypto/cmac.js';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { concatBytes } from '../../src/protocol/messages/crypto-aes.js';
import { CmacRequest } from '../../src/protocol/messages/crypto-cmac.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { aesCmacClient, hex, recordingServer, unhex } from './helpers/aes-cmac.js';

const CMAC = kind(Group.CRYPTO, 7);
const key = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const MSG16 = unhex('6bc1bee22e409f96e93d7e117393172a');
const { USAGE_SIGN: SIGN, USAGE_VERIFY: VERIFY, USAGE_ENCRYPT: ENCRYPT } = NvmFlags;

interface Raw {
  outSz?: number;
  input?: Uint8Array;
  key?: Uint8Array;
  keyId?: number;
  buffer?: Uint8Array;
  digest?: Uint8Array;
  bufferSz?: number;
  totalSz?: number;
  inSz?: number;
  keySz?: number;
}
function req(o: Raw): Uint8Array {
  const input = o.input ?? new Uint8Array(0);
  const k = o.key ?? new Uint8Array(0);
  const body = CmacRequest.encode(
    {
      outSz: o.outSz ?? 0,
      inSz: o.inSz ?? input.length,
      keySz: o.keySz ?? k.length,
      keyId: o.keyId ?? 0,
      buffer: o.buffer ?? new Uint8Array(16),
      digest: o.digest ?? new Uint8Array(16),
      bufferSz: o.bufferSz ?? 0,
      totalSz: o.totalSz ?? 0,
      data: concatBytes(input, k),
    },
    true,
  );
  body.set(CryptoRequestHeader.encode({ algoType: 7, algoSubType: 0, affinity: 0 }, true), 0);
  return body;
}
const send = async (client: HsmClient, body: Uint8Array) => hex((await client.request(CMAC, body)).bytes);
const failure = (rc: number) => hex(new Uint8Array(new Int32Array([7, rc, 0]).buffer));
const u32 = (n: number) => hex(new Uint8Array(new Uint32Array([n]).buffer));

describe('CMAC edge rows (spec-crypto 7)', () => {
  it('size checks in order: a payload shorter than 68, inSz or keySz beyond the payload, keySz > 32 are BADARGS', async () => {
    const { client } = aesCmacClient();
    expect(await send(client, req({ key }).subarray(0, 67))).toBe(failure(-2000));
    expect(await send(client, req({ input: MSG16, key, inSz: 40, outSz: 16 }))).toBe(failure(-2000));
    expect(await send(client, req({ input: MSG16, key, keySz: 17, outSz: 16 }))).toBe(failure(-2000));
    expect(await send(client, req({ input: MSG16, key: new Uint8Array(33), outSz: 16 }))).toBe(failure(-2000));
    // Extra bytes after input and key are tolerated (the check is "fits", not "exact").
    const ok = await send(client, concatBytes(req({ input: MSG16, key, outSz: 16 }), new Uint8Array(3)));
    expect(ok.slice(-32)).toBe('070a16b46b4d4144f79bdd9dd04a287c');
  });

  it('key errors: no key at all BADARGS; an inline key of 15 bytes BAD_FUNC_ARG -173; stored: absent -2104, 20 bytes ABORTED -2002, 33 bytes NOSPACE -2105', async () => {
    const { client } = aesCmacClient();
    expect(await send(client, req({ input: MSG16, outSz: 16 }))).toBe(failure(-2000));
    expect(await send(client, req({ input: MSG16, key: new Uint8Array(15), outSz: 16 }))).toBe(failure(-173));
    expect(await send(client, req({ input: MSG16, keyId: 0x33, outSz: 16 }))).toBe(failure(-2104));
    const short = await client.keyCache(0, new Uint8Array(20), { flags: SIGN });
    expect(await send(client, req({ input: MSG16, keyId: short.keyId, outSz: 16 }))).toBe(failure(-2002));
    const long = await client.keyCache(0, new Uint8Array(33), { flags: SIGN });
    expect(await send(client, req({ input: MSG16, keyId: long.keyId, outSz: 16 }))).toBe(failure(-2105));
  });

  it('the inline key wins over a key id (the opposite of AES)', async () => {
    const { client } = aesCmacClient();
    const other = await client.keyCache(0, new Uint8Array(16).fill(9), { flags: SIGN });
    const r = await send(client, req({ input: MSG16, key, keyId: other.keyId, outSz: 16 }));
    expect(r.slice(-32)).toBe('070a16b46b4d4144f79bdd9dd04a287c');
  });

  it('one-shot: the sent state is ignored; the answer has a zero state, outSz, keyId 0, zero pad, the MAC', async () => {
    const { client } = aesCmacClient();
    const { keyId } = await client.keyCache(0, key, { flags: SIGN });
    const r = await send(client, req({ input: MSG16, keyId, outSz: 16, buffer: new Uint8Array(16).fill(0xaa), digest: new Uint8Array(16).fill(0xbb), bufferSz: 5, totalSz: 48 }));
    expect(r).toBe('07000000' + '00'.repeat(8) + '00'.repeat(32) + u32(0) + u32(0) + u32(16) + '0000' + '0000' + '070a16b46b4d4144f79bdd9dd04a287c');
  });

  it('update: the state comes back with outSz 0 and the raw request keyId (flags included); init with an inline key answers a zero state', async () => {
    const { client } = aesCmacClient();
    await client.keyCache(0x100 | 5, key, { flags: SIGN });
    const r = await send(client, req({ input: MSG16, keyId: 0x105 }));
    expect(r).toBe('07000000' + '00'.repeat(8) + hex(MSG16) + '00'.repeat(16) + u32(16) + u32(0) + u32(0) + '0501' + '0000');
    expect(await send(client, req({ key }))).toBe('07000000' + '00'.repeat(8) + '00'.repeat(48));
  });

  it('final: the MAC of what the state holds, with a zero state and keyId 0; an empty state gives the empty message\'s MAC', async () => {
    const { client } = aesCmacClient();
    const { keyId } = await client.keyCache(0, key, { flags: SIGN });
    const r = await send(client, req({ keyId, outSz: 16, buffer: MSG16, bufferSz: 16 }));
    expect(r).toBe('07000000' + '00'.repeat(8) + '00'.repeat(32) + u32(0) + u32(0) + u32(16) + '0000' + '0000' + '070a16b46b4d4144f79bdd9dd04a287c');
    expect((await send(client, req({ keyId, outSz: 16 }))).slice(-32)).toBe('bb1d6929e95937287fa37d129b756746');
  });

  it('MAC lengths outside 4..16 are BUFFER_E -132 (one-shot and final) [observed for 3]', async () => {
    const { client } = aesCmacClient();
    for (const outSz of [1, 3, 17, 32]) {
      expect(await send(client, req({ input: MSG16, key, outSz }))).toBe(failure(-132));
      expect(await send(client, req({ key, outSz }))).toBe(failure(-132));
    }
    expect(await cmacGenerate(client, { key, data: MSG16, macSize: 3 })).toEqual({ rc: -132 });
  });

  it('a restored bufferSz above 16 is BADARGS (update and final); 16 is a full buffer', async () => {
    const { client } = aesCmacClient();
    expect(await send(client, req({ input: MSG16, key, bufferSz: 17 }))).toBe(failure(-2000));
    expect(await send(client, req({ key, outSz: 16, bufferSz: 17 }))).toBe(failure(-2000));
    expect(await cmacUpdate(client, { key, state: { ...cmacStart(), bufferSz: 17 }, data: MSG16 })).toEqual({ rc: -2000 });
    const full = await cmacFinal(client, { key, state: { ...cmacStart(), buffer: MSG16, bufferSz: 16 } });
    expect('mac' in full && hex(full.mac)).toBe('070a16b46b4d4144f79bdd9dd04a287c');
  });
});

describe('CMAC keys by id: SIGN, and VERIFY only when SIGN answered USAGE, each one owner read (spec-keys-crypto 2.2)', () => {
  it('a SIGN key: one read for SIGN', async () => {
    const { client, calls } = recordingServer();
    const { keyId } = await client.keyCache(0, key, { flags: SIGN });
    calls.length = 0;
    const r = await cmacGenerate(client, { keyId, data: MSG16 });
    expect('mac' in r && hex(r.mac)).toBe('070a16b46b4d4144f79bdd9dd04a287c');
    expect(calls).toEqual([{ kind: 'key.readForUse', usage: SIGN }]);
  });

  it('a VERIFY-only key: a SIGN read refused, then a separate VERIFY read that works', async () => {
    const { client, calls } = recordingServer();
    const { keyId } = await client.keyCache(0, key, { flags: VERIFY });
    calls.length = 0;
    const r = await cmacGenerate(client, { keyId, data: MSG16 });
    expect('mac' in r && hex(r.mac)).toBe('070a16b46b4d4144f79bdd9dd04a287c');
    expect(calls).toEqual([
      { kind: 'key.readForUse', usage: SIGN },
      { kind: 'key.readForUse', usage: VERIFY },
    ]);
  });

  it('a key with neither (ENCRYPT only, or no flags) answers USAGE -2009 after both reads; an absent key stops after the first', async () => {
    const { client, calls } = recordingServer();
    for (const flags of [ENCRYPT, 0]) {
      const { keyId } = await client.keyCache(0, key, { flags });
      calls.length = 0;
      expect(await cmacGenerate(client, { keyId, data: MSG16 })).toEqual({ rc: -2009 });
      expect(await cmacUpdate(client, { keyId, state: cmacStart(), data: MSG16 })).toEqual({ rc: -2009 });
      expect(calls.filter((c) => c.kind === 'key.readForUse').map((c) => c.usage)).toEqual([SIGN, VERIFY, SIGN, VERIFY]);
    }
    calls.length = 0;
    expect(await cmacGenerate(client, { keyId: 0x77, data: MSG16 })).toEqual({ rc: -2104 });
    expect(calls).toEqual([{ kind: 'key.readForUse', usage: SIGN }]);
  });
});

import { describe, expect, it } from 'vitest';
import { aesCbc, aesCtr, aesCtrStart, aesEcb, aesGcmDecrypt, aesGcmEncrypt } from '../../src/client/crypto/aes.js';
import { HsmClient } from '../../src/client/hsm-client.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { AesBlockRequest, concatBytes } from '../../src/protocol/messages/crypto-aes.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { hex, recordingServer, unhex } from './helpers/aes-cmac.js';

const { USAGE_ENCRYPT: ENCRYPT, USAGE_DECRYPT: DECRYPT, USAGE_SIGN: SIGN } = NvmFlags;
const key = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const block = unhex('6bc1bee22e409f96e93d7e117393172a');
const ecbOut = '3ad77bb40d7a3660a89ecaf32466ef97';

describe('AES keys by id: one ReadKeyEnforce, ENCRYPT to encrypt and DECRYPT to decrypt (spec-crypto 4.1)', () => {
  it('a key with ENCRYPT only encrypts in every mode and is refused USAGE -2009 for decryption; each request is one owner read', async () => {
    const { client, calls } = recordingServer();
    const { keyId } = await client.keyCache(0, key, { flags: ENCRYPT, label: 'enc-only' });
    calls.length = 0;
    const enc = await aesEcb(client, { keyId, encrypt: true, data: block });
    expect('data' in enc && hex(enc.data)).toBe(ecbOut);
    expect(calls).toEqual([{ kind: 'key.readForUse', usage: ENCRYPT }]);
    calls.length = 0;
    expect(await aesEcb(client, { keyId, encrypt: false, data: block })).toEqual({ rc: -2009 });
    expect(calls).toEqual([{ kind: 'key.readForUse', usage: DECRYPT }]);
    expect(await aesCbc(client, { keyId, encrypt: false, iv: new Uint8Array(16), data: block })).toEqual({ rc: -2009 });
    expect(await aesCtr(client, { keyId, encrypt: false, state: aesCtrStart(new Uint8Array(16)), data: block })).toEqual({ rc: -2009 });
    expect(await aesGcmDecrypt(client, { keyId, iv: new Uint8Array(12), data: block, tag: new Uint8Array(16) })).toEqual({ rc: -2009 });
    expect('data' in (await aesCbc(client, { keyId, encrypt: true, iv: new Uint8Array(16), data: block }))).toBe(true);
    expect('data' in (await aesCtr(client, { keyId, state: aesCtrStart(new Uint8Array(16)), data: block }))).toBe(true);
    expect('tag' in (await aesGcmEncrypt(client, { keyId, iv: new Uint8Array(12), data: block }))).toBe(true);
  });

  it('a key with DECRYPT only decrypts and cannot encrypt; a key with both does both', async () => {
    const { client } = recordingServer();
    const dec = await client.keyCache(0, key, { flags: DECRYPT });
    expect(await aesEcb(client, { keyId: dec.keyId, encrypt: true, data: block })).toEqual({ rc: -2009 });
    const back = await aesEcb(client, { keyId: dec.keyId, encrypt: false, data: unhex(ecbOut) });
    expect('data' in back && hex(back.data)).toBe(hex(block));
    const both = await client.keyCache(0, key, { flags: ENCRYPT | DECRYPT });
    const sealed = await aesGcmEncrypt(client, { keyId: both.keyId, iv: new Uint8Array(12), data: block });
    if (!('tag' in sealed)) throw new Error(`rc ${sealed.rc}`);
    const opened = await aesGcmDecrypt(client, { keyId: both.keyId, iv: new Uint8Array(12), data: sealed.data, tag: sealed.tag });
    expect('data' in opened && hex(opened.data)).toBe(hex(block));
  });

  it('a key without usage flags (or only SIGN) is refused both ways', async () => {
    const { client } = recordingServer();
    for (const flags of [0, SIGN]) {
      const { keyId } = await client.keyCache(0, key, { flags });
      expect(await aesEcb(client, { keyId, encrypt: true, data: block })).toEqual({ rc: -2009 });
      expect(await aesEcb(client, { keyId, encrypt: false, data: block })).toEqual({ rc: -2009 });
    }
  });

  it('the inline bytes are ignored (but counted in the size) when the id names a stored key', async () => {
    const { client } = recordingServer();
    const { keyId } = await client.keyCache(0, key, { flags: ENCRYPT });
    const body = AesBlockRequest.encode({ enc: 1, keyLen: 16, sz: 16, keyId, data: concatBytes(block, new Uint8Array(16).fill(0xee)) }, true);
    body.set(CryptoRequestHeader.encode({ algoType: 13, algoSubType: 0, affinity: 0 }, true), 0);
    const r = await client.request(kind(Group.CRYPTO, 2), body);
    expect(hex(r.bytes.subarray(28))).toBe(ecbOut);
  });

  it('store errors: an absent key NOTFOUND -2104, one longer than 32 bytes NOSPACE -2105, a 20-byte key BADARGS -2000', async () => {
    const { client } = recordingServer();
    expect(await aesEcb(client, { keyId: 0x42, encrypt: true, data: block })).toEqual({ rc: -2104 });
    const long = await client.keyCache(0, new Uint8Array(33), { flags: ENCRYPT });
    expect(await aesEcb(client, { keyId: long.keyId, encrypt: true, data: block })).toEqual({ rc: -2105 });
    const odd = await client.keyCache(0, new Uint8Array(20), { flags: ENCRYPT });
    expect(await aesEcb(client, { keyId: odd.keyId, encrypt: true, data: block })).toEqual({ rc: -2000 });
  });

  it('a committed key evicted from the cache is read from NVM; a global key (0x100) is shared between clients', async () => {
    const { server, client } = recordingServer();
    const { keyId } = await client.keyCache(7, key, { flags: ENCRYPT });
    expect(await client.keyCommit(keyId)).toBe(0);
    expect(await client.keyEvict(keyId)).toBe(0);
    const r = await aesEcb(client, { keyId, encrypt: true, data: block });
    expect('data' in r && hex(r.data)).toBe(ecbOut);
    await client.commInit(1);
    const other = new HsmClient(server.connectMemory().client);
    await other.commInit(2);
    await client.keyCache(0x100 | 9, key, { flags: ENCRYPT });
    const shared = await aesEcb(other, { keyId: 0x100 | 9, encrypt: true, data: block });
    expect('data' in shared && hex(shared.data)).toBe(ecbOut);
    await client.keyCache(11, key, { flags: ENCRYPT });
    expect('data' in (await aesEcb(client, { keyId: 11, encrypt: true, data: block }))).toBe(true);
    expect(await aesEcb(other, { keyId: 11, encrypt: true, data: block })).toEqual({ rc: -2104 }); // the first client's local key
  });
});

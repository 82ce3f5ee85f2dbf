import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { testServer } from '../helpers/server-fixture.js';

/** The README's crypto example, run as written (through HsmClient.crypto). */
describe('README: computing with keys that stay in the HSM', () => {
  it('caches an AES key, encrypts and MACs by key id, hashes, wraps and unwraps a key', async () => {
    const { server } = testServer();
    const client = new HsmClient(server.connectMemory().client);
    await client.commInit(1);
    const aesKey = new Uint8Array(16).fill(0x2b);
    const { keyId } = await client.keyCache(0, aesKey, { flags: NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_DECRYPT | NvmFlags.USAGE_SIGN, label: 'aes' });
    const iv = await client.crypto.random(12);
    const sealed = await client.crypto.aesGcmEncrypt({ keyId, iv, aad: new Uint8Array(0), data: new TextEncoder().encode('hello hsm') });
    if (!('data' in sealed)) throw new Error(`rc ${sealed.rc}`);
    const opened = await client.crypto.aesGcmDecrypt({ keyId, iv, aad: new Uint8Array(0), data: sealed.data, tag: sealed.tag });
    expect('data' in opened && new TextDecoder().decode(opened.data)).toBe('hello hsm');
    // The same ciphertext as node:crypto under the same key: the key was used, never returned.
    const node = createCipheriv('aes-128-gcm', aesKey, iv);
    expect(Buffer.from(sealed.data)).toEqual(Buffer.concat([node.update('hello hsm'), node.final()]));
    const mac = await client.crypto.cmac({ keyId, data: new Uint8Array(64) });
    expect(mac.rc).toBe(0);
    const d = await client.crypto.digest('sha256', new TextEncoder().encode('abc'));
    expect(d.digest && Buffer.from(d.digest).toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
    // Key wrap: a KEK with WRAP usage; the blob carries a WRAPPED-type id of this client.
    const kek = await client.keyCache(0, new Uint8Array(32).fill(7), { flags: NvmFlags.USAGE_WRAP, label: 'kek' });
    const wrapped = await client.crypto.keyWrap({ kekId: kek.keyId, meta: makeMetadata({ id: makeKeyId(KeyType.WRAPPED, 1, 9), len: 16 }), key: aesKey });
    expect(wrapped.rc).toBe(0);
    const back = await client.crypto.keyUnwrapExport({ kekId: kek.keyId, blob: wrapped.blob });
    expect(back.rc === 0 && Buffer.from(back.key)).toEqual(Buffer.from(aesKey));
  });
});

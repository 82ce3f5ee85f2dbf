import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HsmClient, NvmFlags, WhKeyAlgo } from '../../src/index.js';
import { testServer } from '../helpers/server-fixture.js';

/** The README's public-key example, run as written. */
describe('README: an ECC key generated on the server signs by key id', () => {
  it('generates a P-256 key, signs a digest, verifies it on the server, exports the public key; node verifies the signature', async () => {
    const { server } = testServer();
    const client = new HsmClient(server.connectMemory().client);
    await client.commInit(1);
    const { keyId } = (await client.crypto.ecc.generate({ curve: 'P-256', flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY, label: 'signer' })) as { keyId: number };
    const digest = createHash('sha256').update('firmware image').digest();
    const { signature } = (await client.crypto.ecc.sign({ keyId, digest })) as { signature: Uint8Array };
    expect(await client.crypto.ecc.verify({ keyId, signature, digest })).toMatchObject({ rc: 0, valid: true });
    const { rc, publicKey } = await client.keyExportPublic(keyId, WhKeyAlgo.ECC);
    expect(rc).toBe(0);
    // Anyone can check the signature with the exported key: node hashes the message itself.
    const key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    expect(verify('sha256', Buffer.from('firmware image'), key, signature)).toBe(true);
    // A NONEXPORTABLE key never leaves, but its public half does.
    const locked = (await client.crypto.ecc.generate({ curve: 'P-256', flags: NvmFlags.USAGE_SIGN | NvmFlags.NONEXPORTABLE })) as { keyId: number };
    expect((await client.keyExport(locked.keyId)).rc).toBe(-2101);
    expect((await client.keyExportPublic(locked.keyId, WhKeyAlgo.ECC)).rc).toBe(0);
    await server.close();
  });
});

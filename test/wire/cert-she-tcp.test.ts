import { createCipheriv, createPublicKey, X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HsmClient, WhKeyAlgo } from '../../src/index.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { listenTcp, type TcpListener } from '../../src/server/tcp-listener.js';
import { makeKeyUpdate } from '../../src/she/key-update.js';
import { makePki } from '../../src/testing/pki.js';
import { testServer } from '../helpers/server-fixture.js';
import { SPEC, hex } from '../she/she-helpers.js';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function tcpClient(clientId: number): Promise<HsmClient> {
  const { server } = testServer();
  const listener: TcpListener = await listenTcp(server, { port: 0 });
  close = async () => {
    await listener.close();
    await server.close();
  };
  return HsmClient.connect({ port: listener.port, clientId, requestTimeoutMs: 30_000 });
}

describe('CERT and SHE over TCP with the TypeScript client', () => {
  it('CERT: a trusted root, a chain verified against it, the leaf key cached and exported as a public key', async () => {
    const client = await tcpClient(1);
    const pki = await makePki('ec', 'tcp');
    expect(await client.cert.addTrusted(0x51, pki.root)).toBe(0);
    expect((await client.cert.readTrusted(0x51)).cert).toEqual(pki.root);
    const v = await client.cert.verify(pki.chain, 0x51, { cacheLeafKey: { keyId: 0x21, flags: NvmFlags.USAGE_VERIFY } });
    expect(v).toEqual({ rc: 0, keyId: 0x21 });
    const pub = await client.keyExportPublic(0x21, WhKeyAlgo.ECC);
    expect(pub.rc).toBe(0);
    const leafKey = new X509Certificate(Buffer.from(pki.leaf)).publicKey;
    expect(createPublicKey({ key: Buffer.from(pub.publicKey), format: 'der', type: 'spki' }).equals(leafKey)).toBe(true);
    expect((await client.cert.verify(pki.chain, 0x52)).rc).toBe(-2104); // no such root
    expect(await client.cert.eraseTrusted(0x51)).toBe(0);
    client.transport.close();
  }, 60_000);

  it('SHE: UID, boot, the specification\'s key update (M4, M5 byte for byte), then ECB under the new key', async () => {
    const client = await tcpClient(1);
    expect(await client.she.preProgramKey({ clientId: 1, slot: 1, key: SPEC.authKey })).toBe(0);
    expect(await client.she.setUid(SPEC.uid)).toBe(0);
    expect((await client.she.secureBootInit(0)).rc).toBe(-2204); // no BOOT_MAC_KEY: NO_SECURE_BOOT, counts as booted
    const u = makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: 1, authKey: SPEC.authKey, newKey: SPEC.newKey, counter: 1 });
    const r = await client.she.loadKey(u);
    expect(r.rc === 0 && 'm4' in r && { m4: hex(r.m4), m5: hex(r.m5) }).toEqual({ m4: SPEC.m4, m5: SPEC.m5 });
    const block = new Uint8Array(16).fill(0x3c);
    const enc = await client.she.encEcb(4, block);
    const node = createCipheriv('aes-128-ecb', SPEC.newKey, null).setAutoPadding(false).update(block);
    expect('data' in enc && hex(enc.data)).toBe(node.toString('hex'));
    client.transport.close();
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';
import { makePki, spkiOf, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/cert/${name}`, import.meta.url)));

let ec: Pki;
beforeAll(async () => {
  ec = await makePki('ec', 'dma', AT);
}, 60_000);

function setup() {
  const t = certServer({ cert: { now: () => AT } });
  return { ...t, ...t.connectDma() };
}

describe('CERT DMA variants (in-process clients with client memory)', () => {
  it('ADDTRUSTED_DMA stores from client memory; READTRUSTED_DMA writes it back; too small a buffer → BUFFER_SIZE', async () => {
    const { client, mem } = setup();
    mem.bytes.set(ec.root, 0);
    expect(await client.cert.addTrustedDma(0x42, mem.addr(0), ec.root.length, { label: 'dma root' })).toBe(0);
    expect((await client.cert.readTrusted(0x42)).cert).toEqual(ec.root);
    expect(await client.cert.readTrustedDma(0x42, mem.addr(4096), 2048)).toBe(0);
    expect(mem.bytes.subarray(4096, 4096 + ec.root.length)).toEqual(ec.root);
    expect(await client.cert.readTrustedDma(0x42, mem.addr(8192), ec.root.length - 1)).toBe(WhError.BUFFER_SIZE);
    expect(await client.cert.readTrustedDma(0x43, mem.addr(8192), 2048)).toBe(WhError.NOTFOUND);
    expect(await client.cert.addTrustedDma(0x44, mem.addr(0), 16, { flags: NvmFlags.NONEXPORTABLE })).toBe(0);
    expect(await client.cert.readTrustedDma(0x44, mem.addr(8192), 2048)).toBe(WhError.ACCESS);
    // A buffer beyond the largest certificate (the data length) is refused.
    expect(await client.cert.readTrustedDma(0x42, mem.addr(0), 8193)).toBe(WhError.BADARGS);
  });

  it('VERIFY_DMA and VERIFY_MULTI_ROOT_DMA verify a chain in client memory and cache the leaf key', async () => {
    const { client, mem } = setup();
    await client.commInit(1); // a local key (client 0 has only global ones)
    expect(await client.cert.addTrusted(0x42, ec.root)).toBe(0);
    mem.bytes.set(ec.chain, 0);
    expect(await client.cert.verifyDma(mem.addr(0), ec.chain.length, 0x42, { cacheLeafKey: { keyId: 0x20 } })).toEqual({ rc: 0, keyId: 0x20 });
    expect(Buffer.from((await client.keyExport(0x20)).data).equals(Buffer.from(await spkiOf(ec.leafKeys)))).toBe(true);
    expect((await client.cert.verifyDma(mem.addr(0), ec.chain.length, 0x41)).rc).toBe(WhError.NOTFOUND);
    expect(await client.cert.verifyMultiRootDma(mem.addr(0), ec.chain.length, [0x41, 0x42])).toEqual({ rc: 0, keyId: 0 });
    expect((await client.cert.verifyMultiRootDma(mem.addr(0), ec.chain.length, [])).rc).toBe(WhError.BADARGS);
    expect((await client.cert.verifyDma(mem.addr(0), ec.chain.length - 10, 0x42)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('VERIFY_ACERT_DMA verifies the attribute certificate in client memory', async () => {
    const { client, mem } = setup();
    const acert = fixture('trace-acert.der');
    expect(await client.cert.addTrusted(1, fixture('trace-acert-root-ecc.der'))).toBe(0);
    expect(await client.cert.addTrusted(0x42, ec.root)).toBe(0);
    mem.bytes.set(acert, 100);
    expect(await client.cert.verifyAcertDma(mem.addr(100), acert.length, 1)).toBe(0);
    expect(await client.cert.verifyAcertDma(mem.addr(100), acert.length, 0x42)).toBe(WhError.CERT_VERIFY);
  });

  it('wrong request sizes → ABORTED; addresses outside client memory → ACCESS; no client memory (TCP-like) → NOTIMPL', async () => {
    const { client, connect } = setup();
    for (const action of [CertAction.ADDTRUSTED_DMA, CertAction.READTRUSTED_DMA, CertAction.VERIFY_DMA, CertAction.VERIFY_ACERT_DMA, CertAction.VERIFY_MULTI_ROOT_DMA]) {
      const r = await client.request(kind(Group.CERT, action), new Uint8Array(12));
      expect([action, r.length, r.i32(0)]).toEqual([action, 8, WhError.ABORTED]);
    }
    expect(await client.cert.addTrustedDma(0x42, 0x1000n, 64)).toBe(WhError.ACCESS);
    expect(await client.cert.readTrustedDma(0x42, 0x1000n, 64)).toBe(WhError.ACCESS);
    expect((await client.cert.verifyDma(0x1000n, 64, 0x42)).rc).toBe(WhError.ACCESS);
    const plain = connect().client;
    expect(await plain.cert.addTrustedDma(0x42, 0x1000n, 64)).toBe(WhError.NOTIMPL);
    expect((await plain.cert.verifyMultiRootDma(0x1000n, 64, [0x42])).rc).toBe(WhError.NOTIMPL);
    expect(await plain.cert.verifyAcertDma(0x1000n, 64, 1)).toBe(WhError.NOTIMPL);
  });
});

import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import type { PublicKeyArgs, PublicKeyResult } from '../../src/crypto/public-key.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { SimulatedClientMemory } from '../../src/ports/dma/client-memory.js';
import { StructWriter } from '../../src/protocol/bytes.js';
import { Group, KeyAction, kind } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const label = (s: string) => new TextEncoder().encode(s);

/**
 * A stand-in encoder for the handler's own rules (policy, label, errors): the
 * "public part" of a stored key is its first half; a key starting 0xee fails to decode.
 */
const seen: number[] = [];
const fakeEcc = ({ key }: PublicKeyArgs): PublicKeyResult => {
  seen.push(key.length);
  return key[0] === 0xee ? { rc: -140 } : { rc: 0, publicKey: key.slice(0, key.length / 2) };
};

function setup() {
  const t = testServer({ cryptoEngine: new InlineEngine({ ...CRYPTO_JOBS, 'ecc.publicKey': fakeEcc }) });
  return { ...t, client: t.connect().client };
}

describe('KEY EXPORT_PUBLIC (spec-keys-crypto 9): one owner message, the encoder outside it', () => {
  it('returns the encoder output with the key\'s label; a NONEXPORTABLE key still exports its public part', async () => {
    const { client } = setup();
    const key = Uint8Array.from({ length: 64 }, (_, i) => i);
    const { keyId } = await client.keyCache(0, key, { flags: NvmFlags.NONEXPORTABLE | NvmFlags.USAGE_SIGN, label: label('signer') });
    expect((await client.keyExport(keyId)).rc).toBe(-2101); // the private bytes stay in
    const r = await client.keyExportPublic(keyId, WhKeyAlgo.ECC);
    expect(r.rc).toBe(0);
    expect(hex(r.publicKey)).toBe(hex(key.subarray(0, 32)));
    expect(new TextDecoder().decode(r.label.subarray(0, 6))).toBe('signer');
  });

  it('absent key NOTFOUND; TRUSTED key ACCESS; unknown algorithm BADARGS after the policy; decoder error passed through; label zero on every error', async () => {
    const { client, server } = setup();
    expect((await client.keyExportPublic(0x33, WhKeyAlgo.ECC)).rc).toBe(-2104);
    expect((await client.keyExportPublic(0x33, 99)).rc).toBe(-2104); // policy first, as wolfHSM
    const { keyId } = await client.keyCache(0, new Uint8Array(8).fill(1), { label: label('x') });
    expect((await client.keyExportPublic(keyId, 99)).rc).toBe(-2000);
    expect((await client.keyExportPublic(keyId, WhKeyAlgo.LMS)).rc).toBe(-2000); // compiled out here
    const bad = await client.keyCache(0, new Uint8Array(8).fill(0xee), { label: label('bad') });
    const dec = await client.keyExportPublic(bad.keyId, WhKeyAlgo.ECC);
    expect({ rc: dec.rc, len: dec.publicKey.length, label: hex(dec.label) }).toEqual({ rc: -140, len: 0, label: '00'.repeat(24) });
    // A TRUSTED key (server-provisioned, committed in NVM) is refused whatever the algorithm.
    expect(await server.nvmFor('p').addObject(makeMetadata({ id: makeKeyId(KeyType.CRYPTO, 1, 0x40), flags: NvmFlags.TRUSTED, len: 8 }), new Uint8Array(8)), 'provision').toBe(0);
    await client.commInit(1);
    expect((await client.keyExportPublic(0x40, WhKeyAlgo.ECC)).rc).toBe(-2101);
  });

  it('an NVM-only key is freshened into the cache and exported; a short request reads as zeros (no size check in wolfHSM)', async () => {
    const { client } = setup();
    const { keyId } = await client.keyCache(0x21, Uint8Array.from({ length: 16 }, (_, i) => 100 + i), { label: label('nv') });
    expect(await client.keyCommit(keyId)).toBe(0);
    expect(await client.keyEvict(keyId)).toBe(0);
    const r = await client.keyExportPublic(keyId, WhKeyAlgo.ECC);
    expect({ rc: r.rc, pub: hex(r.publicKey) }).toEqual({ rc: 0, pub: hex(Uint8Array.from({ length: 8 }, (_, i) => 100 + i)) });
    const short = await client.request(kind(Group.KEY, KeyAction.EXPORT_PUBLIC), new Uint8Array([0x21]));
    expect(short.i32(0)).toBe(-2000); // id 0x21, algo 0 (NONE) → BADARGS
    expect(short.length).toBe(36);
  });

  it('the encoder never sees a key the client may not use: another client\'s local key is NOTFOUND', async () => {
    const t = setup();
    const other = t.connect().client;
    await other.commInit(2);
    await t.client.commInit(1);
    const { keyId } = await t.client.keyCache(0x22, new Uint8Array(16).fill(3));
    const before = seen.length;
    expect((await other.keyExportPublic(keyId, WhKeyAlgo.ECC)).rc).toBe(-2104);
    expect(seen.length).toBe(before);
  });

  it('EXPORT_PUBLIC_DMA writes the public part into client memory; a too-small buffer is NOSPACE; without DMA NOTIMPL', async () => {
    const t = testServer({ cryptoEngine: new InlineEngine({ ...CRYPTO_JOBS, 'ecc.publicKey': fakeEcc }) });
    const mem = new SimulatedClientMemory({ base: 0x1000n, size: 256 });
    const client = new HsmClient(t.server.connectMemory({ dma: mem }).client);
    const key = Uint8Array.from({ length: 40 }, (_, i) => 200 - i);
    const { keyId } = await client.keyCache(0, key, { label: label('dma') });
    const req = (size: number) => new StructWriter(24, true).u64(0, 0x1010n).u64(8, BigInt(size)).u16(16, keyId).u16(18, WhKeyAlgo.ECC).bytes;
    const r = await client.request(kind(Group.KEY, KeyAction.EXPORT_PUBLIC_DMA), req(64));
    expect({ rc: r.i32(16), len: r.u32(20), label: new TextDecoder().decode(r.bytes.subarray(24, 27)) }).toEqual({ rc: 0, len: 20, label: 'dma' });
    expect(hex(mem.bytes.subarray(0x10, 0x10 + 20))).toBe(hex(key.subarray(0, 20)));
    expect((await client.request(kind(Group.KEY, KeyAction.EXPORT_PUBLIC_DMA), req(19))).i32(16)).toBe(-2105);
    const plain = t.connect().client;
    expect((await plain.request(kind(Group.KEY, KeyAction.EXPORT_PUBLIC_DMA), req(64))).i32(16)).toBe(-2008);
  });
});

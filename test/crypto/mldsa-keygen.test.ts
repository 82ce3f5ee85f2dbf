import { describe, expect, it } from 'vitest';
import { MLDSA_KEY_CODEC } from '../../src/crypto/mldsa/der.js';
import { MLDSA_FAMILY } from '../../src/crypto/mldsa/params.js';
import { mlDsa } from '../../src/crypto/mldsa/params.js';
import { WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { body, hex, pkRequest, pqcSetup } from './helpers/mldsa-pqc.js';

const SIGN_VERIFY = NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY;
const msg = new TextEncoder().encode('keygen');

describe('ML-DSA key generation (PQC_SIG_KEYGEN 21, spec-crypto 13)', () => {
  it('EPHEMERAL: the key-pair DER comes back (keyId field 0x0100, the erased id in client form) and its halves belong together', async () => {
    const { client } = await pqcSetup();
    const r = await client.crypto.mldsa.generate({ level: 44, ephemeral: true });
    if (!('privateKey' in r)) throw new Error(`rc ${r.rc}`);
    expect(r.keyId).toBe(0x0100);
    expect(r.privateKey.length).toBe(3904);
    const parts = MLDSA_KEY_CODEC.decode(r.privateKey)!;
    expect(parts.level).toBe(2);
    const sig = mlDsa(2).sign(msg, parts.secretKey!);
    expect(mlDsa(2).verify(sig, msg, parts.publicKey!)).toBe(true);
    // Nothing was cached: the key is usable only by importing it.
    const again = await client.crypto.mldsa.sign({ key: r.privateKey, message: msg });
    if (!('signature' in again)) throw new Error(`rc ${again.rc}`);
    expect(mlDsa(2).verify(again.signature, msg, parts.publicKey!)).toBe(true);
  });

  it('cached: unique ids from 255 down, the SPKI in the reply equals EXPORT_PUBLIC, flags kept minus TRUSTED, the label stored', async () => {
    const { client } = await pqcSetup();
    const a = await client.crypto.mldsa.generate({ level: 65, flags: SIGN_VERIFY | NvmFlags.TRUSTED, label: 'pqc-a' });
    const b = await client.crypto.mldsa.generate({ level: 44, flags: SIGN_VERIFY, label: 'pqc-b' });
    if (!('keyId' in a) || !('keyId' in b)) throw new Error('keygen failed');
    expect([a.keyId, b.keyId]).toEqual([0xff, 0xfe]);
    expect([a.publicKey.length, b.publicKey.length, a.privateKey.length]).toEqual([1974, 1334, 0]);
    const exported = await client.keyExportPublic(a.keyId, WhKeyAlgo.MLDSA);
    expect({ rc: exported.rc, spki: hex(exported.publicKey) }).toEqual({ rc: 0, spki: hex(a.publicKey) });
    expect(new TextDecoder().decode(exported.label.subarray(0, 5))).toBe('pqc-a');
    // A TRUSTED key refuses KEY EXPORT (-2101): this one exports, so TRUSTED was dropped; the stored form is the key pair DER.
    const stored = await client.keyExport(a.keyId);
    expect(stored.rc).toBe(0);
    expect(stored.data.length).toBe(6016);
    expect(hex(MLDSA_KEY_CODEC.encodePublic(3, MLDSA_KEY_CODEC.decode(stored.data)!.publicKey!))).toBe(hex(a.publicKey));
    const s = await client.crypto.mldsa.sign({ keyId: a.keyId, message: msg });
    if (!('signature' in s)) throw new Error(`rc ${s.rc}`);
    expect(mlDsa(3).verify(s.signature, msg, MLDSA_KEY_CODEC.decode(a.publicKey)!.publicKey!)).toBe(true);
  });

  it('a requested key id is used, and generating again under it replaces the cached key', async () => {
    const { client } = await pqcSetup();
    const first = await client.crypto.mldsa.generate({ level: 44, keyId: 0x21, flags: SIGN_VERIFY });
    const second = await client.crypto.mldsa.generate({ level: 44, keyId: 0x21, flags: SIGN_VERIFY });
    if (!('keyId' in first) || !('keyId' in second)) throw new Error('keygen failed');
    expect([first.keyId, second.keyId]).toEqual([0x21, 0x21]);
    expect(hex(first.publicKey)).not.toBe(hex(second.publicKey));
    expect(hex((await client.keyExportPublic(0x21, WhKeyAlgo.MLDSA)).publicKey)).toBe(hex(second.publicKey));
  });

  it('caching reserves 7520 bytes: the example configuration (1200-byte big slots) answers BADARGS, as GetCacheSlot does; EPHEMERAL still works', async () => {
    const { client } = await pqcSetup({ config: { keyCacheBigBufSize: 1200 } });
    expect((await client.crypto.mldsa.generate({ level: 44, flags: SIGN_VERIFY })).rc).toBe(-2000);
    expect((await client.crypto.mldsa.generate({ level: 44, ephemeral: true })).rc).toBe(0);
    // 7519-byte big slots are one byte short for the reserve even for ML-DSA-44.
    const short = await pqcSetup({ config: { keyCacheBigBufSize: 7519 } });
    expect((await short.client.crypto.mldsa.generate({ level: 44, flags: SIGN_VERIFY })).rc).toBe(-2000);
  });

  it('every cached key takes a big slot: the fourth of three answers NOSPACE', async () => {
    const { client } = await pqcSetup();
    const rcs = [];
    for (let i = 0; i < 4; i++) rcs.push((await client.crypto.mldsa.generate({ level: 44, flags: SIGN_VERIFY })).rc);
    expect(rcs).toEqual([0, 0, 0, -2105]);
  });

  it('a key that does not fit the response: EPHEMERAL answers BUFFER_E; cached keeps the key and returns no public key when the SPKI does not fit', async () => {
    const { client } = await pqcSetup({ config: { dataLen: 4096 } });
    expect((await client.crypto.mldsa.generate({ level: 44, ephemeral: true })).rc).toBe(0); // 3904 + 20 fits
    expect((await client.crypto.mldsa.generate({ level: 65, ephemeral: true })).rc).toBe(-132);
    const cached = await client.crypto.mldsa.generate({ level: 87, flags: SIGN_VERIFY });
    if (!('keyId' in cached)) throw new Error(`rc ${cached.rc}`);
    expect(cached.publicKey.length).toBe(2614);
    const small = await pqcSetup({ config: { dataLen: 2048 } });
    const noPub = await small.client.crypto.mldsa.generate({ level: 87, flags: SIGN_VERIFY });
    expect(noPub).toMatchObject({ rc: 0, keyId: 0xff });
    if ('publicKey' in noPub) expect(noPub.publicKey.length).toBe(0);
  });

  it('level other than 2/3/5 is BADARGS (also a short request, whose level reads as 0); `sz` and `access` are ignored', async () => {
    const { client } = await pqcSetup();
    for (const level of [0, 1, 4, 44, 87]) {
      const r = await pkRequest(client, WcPk.PQC_SIG_KEYGEN, MLDSA_FAMILY, body(56, { 16: level, 24: NvmFlags.EPHEMERAL }));
      expect(r.rc, `level ${level}`).toBe(-2000);
    }
    expect((await pkRequest(client, WcPk.PQC_SIG_KEYGEN, MLDSA_FAMILY, body(12, {}))).rc).toBe(-2000);
    const ok = await pkRequest(client, WcPk.PQC_SIG_KEYGEN, MLDSA_FAMILY, body(56, { 12: 12345, 16: 5, 24: NvmFlags.EPHEMERAL, 28: 0xdead }));
    expect(ok.rc).toBe(0);
    expect(new DataView(ok.bytes.buffer, ok.bytes.byteOffset).getUint32(16, true)).toBe(7520);
    expect(ok.bytes.length).toBe(20 + 7520);
  });
});

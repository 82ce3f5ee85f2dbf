import { describe, expect, it } from 'vitest';
import { MLDSA_KEY_CODEC } from '../../src/crypto/mldsa/der.js';
import { mlDsa } from '../../src/crypto/mldsa/params.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pqcSetup, unhex } from './helpers/mldsa-pqc.js';

/** An independent little DER writer for the forms other encoders produce. */
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Uint8Array.from(parts.flatMap((p) => [...p]));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...body]);
}
const OID_44 = unhex('0609608648016503040311');
const algId = (oid = OID_44) => tlv(0x30, oid);
const version = (v: number) => Uint8Array.of(0x02, 0x01, v);

const seed = new Uint8Array(32).map((_, i) => i * 7);
const { secretKey, publicKey } = mlDsa(2).keygen(seed);
const message = new TextEncoder().encode('codec');
const FLAGS = NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY;

describe('ML-DSA key codec (wolfSSL 5.8.4 forms written; LAMPS and RFC 5958 forms read)', () => {
  it('round trip of the written forms at every level', () => {
    for (const level of [2, 3, 5] as const) {
      const k = mlDsa(level).keygen(new Uint8Array(32).fill(level));
      const pair = MLDSA_KEY_CODEC.decode(MLDSA_KEY_CODEC.encodeKeyPair(level, k.secretKey, k.publicKey))!;
      expect([pair.level, hex(pair.secretKey!), hex(pair.publicKey!)]).toEqual([level, hex(k.secretKey), hex(k.publicKey)]);
      const pub = MLDSA_KEY_CODEC.decode(MLDSA_KEY_CODEC.encodePublic(level, k.publicKey))!;
      expect([pub.level, pub.secretKey, hex(pub.publicKey!)]).toEqual([level, undefined, hex(k.publicKey)]);
    }
  });

  it('reads the LAMPS seed and both forms, RFC 5958 v1 with a BIT STRING public key, and an expanded key without public key', () => {
    const seedForm = tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x80, seed)));
    expect(MLDSA_KEY_CODEC.decode(seedForm)).toEqual({ level: 2, seed });
    const both = tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x30, tlv(0x04, seed), tlv(0x04, secretKey))));
    expect(MLDSA_KEY_CODEC.decode(both)).toEqual({ level: 2, seed, secretKey });
    const v1 = tlv(0x30, version(1), algId(), tlv(0x04, tlv(0x04, secretKey)), tlv(0x81, Uint8Array.of(0), publicKey));
    expect(MLDSA_KEY_CODEC.decode(v1)).toEqual({ level: 2, secretKey, publicKey });
    const bare = tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x04, secretKey)));
    expect(MLDSA_KEY_CODEC.decode(bare)).toEqual({ level: 2, secretKey });
  });

  it('refuses what is not one of them: another OID, version 2, a key of the wrong size, trailing bytes, truncation', () => {
    const good = MLDSA_KEY_CODEC.encodeKeyPair(2, secretKey, publicKey);
    const bad = [
      tlv(0x30, version(0), algId(unhex('0609608648016503040314')), tlv(0x04, tlv(0x04, secretKey))),
      tlv(0x30, version(2), algId(), tlv(0x04, tlv(0x04, secretKey))),
      tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x04, secretKey.subarray(1)))),
      tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x80, seed.subarray(1)))),
      Uint8Array.from([...good, 0]),
      good.subarray(0, good.length - 1),
      tlv(0x30, algId(), tlv(0x03, publicKey)), // SPKI without the unused-bits byte
      new Uint8Array(0),
    ];
    expect(bad.map((b) => MLDSA_KEY_CODEC.decode(b))).toEqual(bad.map(() => null));
  });
});

describe('ML-DSA stored forms through the server', () => {
  it('a seed-form key signs and verifies, and EXPORT_PUBLIC derives its SPKI', async () => {
    const { client } = await pqcSetup();
    const { keyId } = await client.keyCache(0, tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x80, seed))), { flags: FLAGS });
    const s = await client.crypto.mldsa.sign({ keyId, message });
    if (!('signature' in s)) throw new Error(`rc ${s.rc}`);
    expect(mlDsa(2).verify(s.signature, message, publicKey)).toBe(true);
    expect(await client.crypto.mldsa.verify({ keyId, signature: s.signature, message })).toEqual({ rc: 0, valid: true });
    const exported = await client.keyExportPublic(keyId, WhKeyAlgo.MLDSA);
    expect({ rc: exported.rc, spki: hex(exported.publicKey) }).toEqual({ rc: 0, spki: hex(MLDSA_KEY_CODEC.encodePublic(2, publicKey)) });
  });

  it('an expanded private key without public key signs; verify and EXPORT_PUBLIC answer BAD_FUNC_ARG (no public key set)', async () => {
    const { client } = await pqcSetup();
    const { keyId } = await client.keyCache(0, tlv(0x30, version(0), algId(), tlv(0x04, tlv(0x04, secretKey))), { flags: FLAGS });
    const s = await client.crypto.mldsa.sign({ keyId, message });
    if (!('signature' in s)) throw new Error(`rc ${s.rc}`);
    expect(mlDsa(2).verify(s.signature, message, publicKey)).toBe(true);
    expect((await client.crypto.mldsa.verify({ keyId, signature: s.signature, message })).rc).toBe(-173);
    expect((await client.keyExportPublic(keyId, WhKeyAlgo.MLDSA)).rc).toBe(-173);
  });

  it('EXPORT_PUBLIC of bytes that are no ML-DSA key answers ASN_PARSE_E', async () => {
    const { client } = await pqcSetup();
    const { keyId } = await client.keyCache(0, new Uint8Array(64).fill(1), { flags: FLAGS });
    expect((await client.keyExportPublic(keyId, WhKeyAlgo.MLDSA)).rc).toBe(-140);
  });
});

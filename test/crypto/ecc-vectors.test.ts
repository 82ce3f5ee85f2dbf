import { readFileSync } from 'node:fs';
import { p256, p384 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { FIELD_SIZE, derSignature, eccClient, hex, nodePrivate, pkcs8Of, sec1Of, sha, spkiOf, nodePublic, unhex, type NodeCurve } from './helpers/ecc.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/ecc/${name}`, import.meta.url), 'utf8')) as T;

interface Rfc6979 {
  x: string;
  ux: string;
  uy: string;
  signatures: { message: string; hash: 'sha256' | 'sha384' | 'sha512'; r: string; s: string }[];
}
interface SigVer {
  source: string;
  curve: NodeCurve;
  hash?: 'sha256';
  msg?: string;
  digest?: string;
  qx: string;
  qy: string;
  r: string;
  s: string;
  valid: boolean;
}
interface Cdh {
  curve: NodeCurve;
  count: number;
  qcavsx: string;
  qcavsy: string;
  diut: string;
  qiutx: string;
  qiuty: string;
  ziut: string;
}

const { rfc6979, sigver } = fixture<{ rfc6979: Rfc6979; sigver: SigVer[] }>('ecdsa-verify.json');
const { vectors: cdh } = fixture<{ vectors: Cdh[] }>('ecdh-cdh.json');

/** ECPrivateKey without the public key (node always writes it): version, scalar, named curve. */
function sec1PrivateOnly(d: string, curveOidHex: string): Uint8Array {
  const oidTlv = `06${(curveOidHex.length / 2).toString(16).padStart(2, '0')}${curveOidHex}`;
  const body = `020101 04${(d.length / 2).toString(16)}${d} a0${(oidTlv.length / 2).toString(16).padStart(2, '0')}${oidTlv}`.replace(/\s/g, '');
  return unhex(`30${(body.length / 2).toString(16)}${body}`);
}

describe('ECDSA verify: RFC 6979 A.2.5 (P-256)', () => {
  const n = p256.Point.CURVE().n;

  it('each published signature verifies with the public key and with the private key; a signature over another message does not', async () => {
    const { client } = await eccClient();
    const pub = await client.keyCache(0, spkiOf(nodePublic('P-256', rfc6979.ux, rfc6979.uy)), { flags: NvmFlags.USAGE_VERIFY });
    const prv = await client.keyCache(0, sec1Of(nodePrivate('P-256', rfc6979.x, rfc6979.ux, rfc6979.uy)), { flags: NvmFlags.USAGE_VERIFY });
    for (const v of rfc6979.signatures) {
      const signature = derSignature(BigInt(`0x${v.r}`), BigInt(`0x${v.s}`));
      const digest = sha(v.hash, v.message);
      for (const keyId of [pub.keyId, prv.keyId]) {
        expect(await client.crypto.ecc.verify({ keyId, signature, digest }), `${v.message}/${v.hash}`).toEqual({ rc: 0, valid: true, publicKey: new Uint8Array(0) });
      }
      const other = sha(v.hash, v.message === 'sample' ? 'test' : 'sample');
      expect(await client.crypto.ecc.verify({ keyId: pub.keyId, signature, digest: other })).toMatchObject({ rc: 0, valid: false });
    }
  });

  it('a high-S signature is accepted (the SHA-256 "sample" one has s > n/2), and so is its low-S twin', async () => {
    const v = rfc6979.signatures[0]!;
    const s = BigInt(`0x${v.s}`);
    expect(s > n / 2n).toBe(true);
    const { client } = await eccClient();
    const { keyId } = await client.keyCache(0, spkiOf(nodePublic('P-256', rfc6979.ux, rfc6979.uy)), { flags: NvmFlags.USAGE_VERIFY });
    for (const sv of [s, n - s]) {
      const r = await client.crypto.ecc.verify({ keyId, signature: derSignature(BigInt(`0x${v.r}`), sv), digest: sha('sha256', 'sample') });
      expect(r).toMatchObject({ rc: 0, valid: true });
    }
  });

  it('a 64-byte digest on P-256 is cut to the order length (the SHA-512 vector); the cut-off bytes do not matter, the kept ones do', async () => {
    const v = rfc6979.signatures.find((x) => x.hash === 'sha512')!;
    const { client } = await eccClient();
    const { keyId } = await client.keyCache(0, spkiOf(nodePublic('P-256', rfc6979.ux, rfc6979.uy)), { flags: NvmFlags.USAGE_VERIFY });
    const signature = derSignature(BigInt(`0x${v.r}`), BigInt(`0x${v.s}`));
    const digest = sha('sha512', 'sample');
    const tailChanged = digest.slice();
    tailChanged[63] ^= 1;
    const headChanged = digest.slice();
    headChanged[0] ^= 1;
    expect(await client.crypto.ecc.verify({ keyId, signature, digest: tailChanged })).toMatchObject({ rc: 0, valid: true });
    expect(await client.crypto.ecc.verify({ keyId, signature, digest: headChanged })).toMatchObject({ rc: 0, valid: false });
    expect(await client.crypto.ecc.verify({ keyId, signature, digest: digest.subarray(0, 32) })).toMatchObject({ rc: 0, valid: true });
  });

  it('MAKE_PUB of the RFC private key (SEC1 without its public part, and PKCS#8) is the published public point', async () => {
    const { client } = await eccClient();
    const expected = `04${rfc6979.ux}${rfc6979.uy}`;
    for (const der of [sec1PrivateOnly(rfc6979.x, '2a8648ce3d030107'), pkcs8Of(nodePrivate('P-256', rfc6979.x, rfc6979.ux, rfc6979.uy))]) {
      const r = await client.crypto.ecc.makePublic({ key: der });
      expect(r.rc).toBe(0);
      expect('publicKey' in r && hex(r.publicKey)).toBe(expected);
    }
  });
});

describe('ECDSA verify: CAVP SigVer records', () => {
  for (const v of sigver) {
    it(`${v.source}: ${v.valid ? 'valid' : 'invalid'}, as noble says too`, async () => {
      const digest = v.digest ? unhex(v.digest) : sha(v.hash!, unhex(v.msg!));
      const n = FIELD_SIZE[v.curve];
      const point = unhex(`04${v.qx.padStart(2 * n, '0')}${v.qy.padStart(2 * n, '0')}`);
      const compact = unhex(v.r.padStart(2 * n, '0') + v.s.padStart(2 * n, '0'));
      const noble = v.curve === 'P-256' ? p256 : p384;
      expect(noble.verify(compact, digest, point, { prehash: false, lowS: false })).toBe(v.valid);
      const { client } = await eccClient();
      const { keyId } = await client.keyCache(0, spkiOf(nodePublic(v.curve, v.qx, v.qy)), { flags: NvmFlags.USAGE_VERIFY });
      const r = await client.crypto.ecc.verify({ keyId, signature: derSignature(BigInt(`0x${v.r}`), BigInt(`0x${v.s}`)), digest });
      expect(r).toMatchObject({ rc: 0, valid: v.valid });
    });
  }
});

describe('ECDH: CAVS ECC CDH primitive vectors', () => {
  for (const v of cdh) {
    it(`${v.curve} COUNT ${v.count}: Z returned, Z cached (raw bytes), QIUT by MAKE_PUB`, async () => {
      const { client } = await eccClient();
      const me = nodePrivate(v.curve, v.diut, v.qiutx, v.qiuty);
      const prv = await client.keyCache(0, sec1Of(me), { flags: NvmFlags.USAGE_DERIVE });
      const peer = await client.keyCache(0, spkiOf(nodePublic(v.curve, v.qcavsx, v.qcavsy)), { flags: 0 });
      const out = await client.crypto.ecc.sharedSecret({ privateKeyId: prv.keyId, publicKeyId: peer.keyId });
      expect(out.rc).toBe(0);
      expect('secret' in out && hex(out.secret)).toBe(v.ziut);
      expect('secret' in out && out.secret.length).toBe(FIELD_SIZE[v.curve]);

      const cached = await client.crypto.ecc.sharedSecret({ privateKeyId: prv.keyId, publicKeyId: peer.keyId, cache: { label: 'z' } });
      expect(cached.rc).toBe(0);
      const keyId = 'keyId' in cached ? cached.keyId : 0;
      expect(hex((await client.keyExport(keyId)).data)).toBe(v.ziut);

      const pub = await client.crypto.ecc.makePublic({ keyId: prv.keyId });
      expect('publicKey' in pub && hex(pub.publicKey)).toBe(`04${v.qiutx}${v.qiuty}`);
    });
  }

  it('the PKCS#8 form of a private key and its private-only SEC1 form agree on Z', async () => {
    const v = cdh[0]!;
    const { client } = await eccClient();
    const peer = await client.keyCache(0, spkiOf(nodePublic('P-256', v.qcavsx, v.qcavsy)));
    for (const der of [pkcs8Of(nodePrivate('P-256', v.diut, v.qiutx, v.qiuty)), sec1PrivateOnly(v.diut, '2a8648ce3d030107')]) {
      const prv = await client.keyCache(0, der, { flags: NvmFlags.USAGE_DERIVE });
      const out = await client.crypto.ecc.sharedSecret({ privateKeyId: prv.keyId, publicKeyId: peer.keyId, evictPrivate: true });
      expect('secret' in out && hex(out.secret)).toBe(v.ziut);
    }
  });
});

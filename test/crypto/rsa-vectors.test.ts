import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RsaOp } from '../../src/crypto/rsa/messages.js';
import { emsaPkcs1v15 } from '../../src/crypto/rsa/pkcs1.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { cavpSigVer, derOf, hex, privateKeyOf, publicKeyOf, rsaClient } from './helpers/rsa.js';

const cavp = cavpSigVer();
const digest = (v: { hash: string; msg: Uint8Array }) => new Uint8Array(createHash(v.hash).update(v.msg).digest());

describe('NIST CAVP SigVer PKCS#1 v1.5 (RSA-1024, SHA-256 and SHA-384) through the raw RSA function', () => {
  it('the excerpt holds 12 vectors, 2 of them valid', () => {
    expect(cavp.vectors.length).toBe(12);
    expect(cavp.vectors.filter((v) => v.pass).length).toBe(2);
  });

  for (const [i, v] of cavp.vectors.entries()) {
    it(`vector ${i + 1} (${v.hash}, ${v.result}): verify = public decrypt (op 1) of S, padding checked client-side`, async () => {
      const { client } = rsaClient();
      // A verify-only key: op 1 needs DECRYPT, and falls back to VERIFY (spec-keys-crypto 2.2).
      const pub = derOf(publicKeyOf(cavp.n, v.e), 'spki');
      const { rc, keyId } = await client.keyCache(0, pub, { flags: NvmFlags.USAGE_VERIFY, label: 'cavp' });
      expect(rc).toBe(0);
      const r = await client.crypto.rsa.verify({ keyId, hash: v.hash, digest: digest(v), signature: v.s });
      expect(r).toEqual({ rc: 0, valid: v.pass });
    });
  }

  it('known answer of the private operation: sign (op 2) of the encoded digest gives S for the valid vectors', async () => {
    const { client } = rsaClient();
    for (const v of cavp.vectors.filter((x) => x.pass)) {
      const der = derOf(privateKeyOf({ n: cavp.n, e: v.e, d: v.d, p: cavp.p, q: cavp.q }), 'pkcs1');
      const { keyId } = await client.keyCache(0, der, { flags: NvmFlags.USAGE_SIGN });
      const em = emsaPkcs1v15(v.hash, digest(v), 128)!;
      const raw = await client.crypto.rsa.function({ keyId, op: RsaOp.PRIVATE_ENCRYPT, input: em, evict: true });
      expect(raw.rc).toBe(0);
      expect('output' in raw && hex(raw.output)).toBe(hex(v.s));
      // The same through the client's PKCS#1 v1.5 helper (GET_SIZE, then op 2).
      const again = await client.keyCache(0, der, { flags: NvmFlags.USAGE_SIGN });
      const signed = await client.crypto.rsa.sign({ keyId: again.keyId, hash: v.hash, digest: digest(v) });
      expect('signature' in signed && hex(signed.signature)).toBe(hex(v.s));
    }
  });
});

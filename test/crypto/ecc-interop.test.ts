import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { FIELD_SIZE, eccClient, hex, pointOf, sec1Of, sha, spkiOf, type NodeCurve } from './helpers/ecc.js';

/** Per curve: node's name, the digest wolfCrypt users pair with it, the DER sizes wolfCrypt produces. */
const CURVES: { curve: NodeCurve; hash: 'sha256' | 'sha384' | 'sha512'; sec1: number; spki: number; head: string }[] = [
  { curve: 'P-256', hash: 'sha256', sec1: 121, spki: 91, head: '307702010104' },
  { curve: 'P-384', hash: 'sha384', sec1: 167, spki: 120, head: '3081a402010104' },
  { curve: 'P-521', hash: 'sha512', sec1: 223, spki: 158, head: '3081dc02010104' },
  { curve: 'secp256k1', hash: 'sha256', sec1: 118, spki: 88, head: '307402010104' },
];
const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 };
const EMPTY = new Uint8Array(0);

describe('ECC keys and signatures interoperate with node:crypto and noble', () => {
  for (const c of CURVES) {
    describe(c.curve, () => {
      it(`an exported key is SEC1 with parameters and public key (${c.sec1} bytes), byte-identical to OpenSSL's encoding of it`, async () => {
        const { client } = await eccClient();
        const r = await client.crypto.ecc.generate({ curve: c.curve, ephemeral: true });
        expect(r.rc).toBe(0);
        const der = 'der' in r ? r.der : EMPTY;
        expect(der.length).toBe(c.sec1);
        expect(hex(der).startsWith(c.head)).toBe(true);
        const k = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' });
        expect(k.asymmetricKeyDetails?.namedCurve).toBe({ 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1' }[c.curve]);
        expect(hex(sec1Of(k))).toBe(hex(der));
      });

      it(`a cached key answers its SPKI (${c.spki} bytes), which node imports; the server signs, node and noble verify; node signs, the server verifies`, async () => {
        const { client } = await eccClient();
        const gen = await client.crypto.ecc.generate({ curve: c.curve, flags: NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY, label: 'interop' });
        expect(gen.rc).toBe(0);
        if (!('keyId' in gen)) return;
        expect(gen.publicKey.length).toBe(c.spki);
        const pub = createPublicKey({ key: Buffer.from(gen.publicKey), format: 'der', type: 'spki' });
        expect(hex(spkiOf(pub))).toBe(hex(gen.publicKey));

        const message = new TextEncoder().encode(`message for ${c.curve}`);
        const s = await client.crypto.ecc.sign({ keyId: gen.keyId, digest: sha(c.hash, message) });
        expect(s.rc).toBe(0);
        const signature = 'signature' in s ? s.signature : EMPTY;
        expect(nodeVerify(c.hash, message, pub, signature)).toBe(true);
        expect(NOBLE[c.curve].verify(signature, sha(c.hash, message), pointOf(pub, c.curve), { prehash: false, lowS: false, format: 'der' })).toBe(true);
        expect(nodeVerify(c.hash, new TextEncoder().encode('another message'), pub, signature)).toBe(false);

        const theirs = generateKeyPairSync('ec', { namedCurve: c.curve });
        const nodeSig = new Uint8Array(nodeSign(c.hash, message, theirs.privateKey));
        const imported = await client.keyCache(0, spkiOf(theirs.publicKey), { flags: NvmFlags.USAGE_VERIFY });
        const v = await client.crypto.ecc.verify({ keyId: imported.keyId, signature: nodeSig, digest: sha(c.hash, message), exportPublic: true });
        expect(v.rc).toBe(0);
        expect('valid' in v && v.valid).toBe(true);
        expect('publicKey' in v && hex(v.publicKey)).toBe(hex(spkiOf(theirs.publicKey)));
        const wrong = await client.crypto.ecc.verify({ keyId: gen.keyId, signature: nodeSig, digest: sha(c.hash, message) });
        expect(wrong).toEqual({ rc: 0, valid: false, publicKey: EMPTY });
      });

      it('ECDH between a server key and a node key gives node\'s secret, from either side', async () => {
        const { client } = await eccClient();
        const gen = await client.crypto.ecc.generate({ curve: c.curve, flags: NvmFlags.USAGE_DERIVE });
        if (!('keyId' in gen)) throw new Error(`keygen ${gen.rc}`);
        const theirs = generateKeyPairSync('ec', { namedCurve: c.curve });
        const peer = await client.keyCache(0, spkiOf(theirs.publicKey));
        const out = await client.crypto.ecc.sharedSecret({ privateKeyId: gen.keyId, publicKeyId: peer.keyId });
        const expected = diffieHellman({ privateKey: theirs.privateKey, publicKey: createPublicKey({ key: Buffer.from(gen.publicKey), format: 'der', type: 'spki' }) });
        expect('secret' in out && hex(out.secret)).toBe(hex(expected));
        expect(expected.length).toBe(FIELD_SIZE[c.curve]);
        // Their private key on the server (SEC1 from node), our public key by its SPKI.
        const mine = await client.keyCache(0, gen.publicKey);
        const theirsStored = await client.keyCache(0, sec1Of(theirs.privateKey), { flags: NvmFlags.USAGE_DERIVE });
        const back = await client.crypto.ecc.sharedSecret({ privateKeyId: theirsStored.keyId, publicKeyId: mine.keyId });
        expect('secret' in back && hex(back.secret)).toBe(hex(expected));
      });
    });
  }

  it('signatures keep a high S (no low-S normalisation) and k is fresh each time', async () => {
    const { client } = await eccClient();
    const gen = await client.crypto.ecc.generate({ curve: 'P-256', flags: NvmFlags.USAGE_SIGN });
    if (!('keyId' in gen)) throw new Error(`keygen ${gen.rc}`);
    const n = p256.Point.CURVE().n;
    const digest = sha('sha256', 'same message');
    const sigs = [];
    for (let i = 0; i < 24; i++) {
      const s = await client.crypto.ecc.sign({ keyId: gen.keyId, digest });
      if ('signature' in s) sigs.push(p256.Signature.fromBytes(s.signature, 'der'));
    }
    expect(sigs.length).toBe(24);
    expect(new Set(sigs.map((s) => s.r)).size).toBe(24);
    // With normalisation no s would exceed n/2; without it about half do (all 24 low: probability 2^-24).
    expect(sigs.some((s) => s.s > n / 2n)).toBe(true);
  });

  it('keygen draws from the server RNG: two keys of one curve differ', async () => {
    const { client } = await eccClient();
    const a = await client.crypto.ecc.generate({ curve: 'P-384', ephemeral: true });
    const b = await client.crypto.ecc.generate({ curve: 'P-384', ephemeral: true });
    expect('der' in a && 'der' in b && hex(a.der) !== hex(b.der)).toBe(true);
  });
});

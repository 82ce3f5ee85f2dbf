import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519PrivateDer, ed25519PublicDer } from '../../src/crypto/ed25519/der.js';
import { Ed25519Type } from '../../src/crypto/ed25519/messages.js';
import { WcPk } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { ED25519_VECTORS, type Ed25519Vector } from './helpers/ed25519-fixtures.js';
import { body, hex, pkRaw, pkServer, unhex } from './helpers/ed25519-x25519.js';

const SIGN_VERIFY = NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY;
/** Node's PKCS#8 (version 0, no public key): wolfCrypt reads it too. */
const pkcs8 = (seed: Uint8Array) => Uint8Array.from([...unhex('302e020100300506032b657004220420'), ...seed]);
const wolfDer = (v: Ed25519Vector) => ed25519PrivateDer(unhex(v.seed), unhex(v.publicKey));

describe('Ed25519 known answers through the server (RFC 8032 section 7, wolfCrypt self-test extras)', () => {
  it('7.1 pure: byte-exact signatures from wolf DER, from PKCS#8 without the public key, and from a key cached by id; each verifies', async () => {
    const { client } = pkServer();
    for (const v of ED25519_VECTORS.pure) {
      const message = unhex(v.message);
      for (const key of [wolfDer(v), pkcs8(unhex(v.seed))]) {
        const s = await client.crypto.ed25519.sign({ key, message });
        expect({ name: v.name, s }).toEqual({ name: v.name, s: { rc: 0, signature: unhex(v.signature) } });
      }
      const { keyId } = await client.keyCache(0, wolfDer(v), { flags: SIGN_VERIFY });
      expect(await client.crypto.ed25519.sign({ keyId, message, evict: false })).toEqual({ rc: 0, signature: unhex(v.signature) });
      expect(await client.crypto.ed25519.verify({ keyId, message, signature: unhex(v.signature), evict: true })).toEqual({ rc: 0, valid: true });
      expect(await client.crypto.ed25519.verify({ key: ed25519PublicDer(unhex(v.publicKey)), message, signature: unhex(v.signature) })).toEqual({ rc: 0, valid: true });
    }
  });

  it('7.2 ctx (and the empty context wolfCrypt still frames with dom2): byte-exact; the same signature under another context or as pure does not verify', async () => {
    const { client } = pkServer();
    for (const v of ED25519_VECTORS.ctx) {
      const o = { key: wolfDer(v), message: unhex(v.message), context: unhex(v.context!), variant: 'ctx' as const };
      expect({ name: v.name, s: await client.crypto.ed25519.sign(o) }).toEqual({ name: v.name, s: { rc: 0, signature: unhex(v.signature) } });
      const signature = unhex(v.signature);
      expect(await client.crypto.ed25519.verify({ ...o, signature })).toEqual({ rc: 0, valid: true });
      expect(await client.crypto.ed25519.verify({ ...o, signature, context: unhex('626171') })).toEqual({ rc: 0, valid: false });
      expect(await client.crypto.ed25519.verify({ ...o, signature, variant: 'pure', context: undefined })).toEqual({ rc: 0, valid: false });
    }
  });

  it('7.3 ph: the message field carries SHA-512(M); the client hashes, a raw request with the digest signs the same, and verify takes the digest too', async () => {
    const { client } = pkServer();
    for (const v of ED25519_VECTORS.ph) {
      const context = unhex(v.context!);
      const signature = unhex(v.signature);
      expect(await client.crypto.ed25519.sign({ key: wolfDer(v), message: unhex(v.message), context, variant: 'ph' })).toEqual({ rc: 0, signature });
      expect(await client.crypto.ed25519.sign({ key: wolfDer(v), digest: unhex(v.prehash!), context, variant: 'ph' })).toEqual({ rc: 0, signature });
      const { keyId } = await client.keyCache(0, wolfDer(v), { flags: SIGN_VERIFY });
      const raw = await pkRaw(client, WcPk.ED25519_SIGN, body([0, keyId, 64, Ed25519Type.PH, context.length], unhex(v.prehash!), context));
      expect(hex(raw.payload)).toBe(`06000000000000000000000040000000${v.signature}`);
      expect(await client.crypto.ed25519.verify({ keyId, digest: unhex(v.prehash!), context, variant: 'ph', signature })).toEqual({ rc: 0, valid: true });
      // Signing the message itself as the "prehash" is a different signature: the server does not hash.
      const unhashed = await pkRaw(client, WcPk.ED25519_SIGN, body([0, keyId, 3, Ed25519Type.PH, context.length], unhex(v.message), context));
      expect(unhashed.rc).toBe(0);
      expect(hex(unhashed.payload.subarray(16))).not.toBe(v.signature);
    }
  });

  it('verify answers rc 0 res 1 in a 16-byte payload; a wrong signature rc SIG_VERIFY_E in a 12-byte reply (wolfCrypt codes for the rare S values)', async () => {
    const { client } = pkServer();
    const v = ED25519_VECTORS.pure[2]!;
    const { keyId } = await client.keyCache(0, ed25519PublicDer(unhex(v.publicKey)), { flags: NvmFlags.USAGE_VERIFY });
    const verifyRaw = (sig: Uint8Array, msg: Uint8Array) => pkRaw(client, WcPk.ED25519_VERIFY, body([0, keyId, sig.length, msg.length, Ed25519Type.PURE, 0], sig, msg));
    expect(hex((await verifyRaw(unhex(v.signature), unhex(v.message))).payload)).toBe('0e000000000000000000000001000000');
    expect(hex((await verifyRaw(unhex(v.signature), unhex('af83'))).payload)).toBe('0e0000001bffffff00000000');
    const rare = ED25519_VECTORS.rareSignatures;
    const { keyId: rareKey } = await client.keyCache(0, ed25519PublicDer(unhex(rare.publicKey)), { flags: NvmFlags.USAGE_VERIFY });
    for (const c of rare.cases) {
      const r = await client.crypto.ed25519.verify({ keyId: rareKey, message: new Uint8Array(0), signature: unhex(c.signature) });
      expect({ what: c.what, r }).toEqual({ what: c.what, r: c.rc === -229 ? { rc: 0, valid: false } : { rc: c.rc } });
    }
  });
});

describe('Ed25519 interop with node:crypto (pure Ed25519; node ignores contexts)', () => {
  it('signatures of a server-generated key verify with node under its SPKI; node signatures verify here', async () => {
    const { client } = pkServer();
    const g = await client.crypto.ed25519.generate({ flags: SIGN_VERIFY, label: 'interop' });
    if (!('publicKey' in g)) throw new Error(`keygen ${g.rc}`);
    const nodePublic = createPublicKey({ key: Buffer.from(g.publicKey), format: 'der', type: 'spki' });
    expect(nodePublic.asymmetricKeyType).toBe('ed25519');
    for (const message of [new Uint8Array(0), unhex('00ff'), new Uint8Array(3000).fill(7)]) {
      const s = await client.crypto.ed25519.sign({ keyId: g.keyId, message });
      if (!('signature' in s)) throw new Error(`sign ${s.rc}`);
      expect(nodeVerify(null, message, nodePublic, s.signature)).toBe(true);
    }
    const theirs = generateKeyPairSync('ed25519');
    const spki = new Uint8Array(theirs.publicKey.export({ format: 'der', type: 'spki' }));
    const message = new TextEncoder().encode('signed by node');
    const signature = new Uint8Array(nodeSign(null, message, theirs.privateKey));
    expect(await client.crypto.ed25519.verify({ key: spki, message, signature })).toEqual({ rc: 0, valid: true });
    signature[5]! ^= 1;
    expect(await client.crypto.ed25519.verify({ key: spki, message, signature })).toEqual({ rc: 0, valid: false });
  });

  it("node's PKCS#8 imports as is and signs as node does; an ephemeral key's seed signs here as it does in node", async () => {
    const { client } = pkServer();
    const theirs = generateKeyPairSync('ed25519');
    const der = new Uint8Array(theirs.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const message = new TextEncoder().encode('same bytes either way');
    expect(await client.crypto.ed25519.sign({ key: der, message })).toEqual({ rc: 0, signature: new Uint8Array(nodeSign(null, message, theirs.privateKey)) });
    const e = await client.crypto.ed25519.generate({ ephemeral: true });
    if (!('privateKey' in e)) throw new Error(`keygen ${e.rc}`);
    const nodeKey = createPrivateKey({ key: Buffer.from(pkcs8(e.privateKey.subarray(16, 48))), format: 'der', type: 'pkcs8' });
    expect(hex(createPublicKey(nodeKey).export({ format: 'der', type: 'spki' }).subarray(12))).toBe(hex(e.privateKey.subarray(50)));
    expect(await client.crypto.ed25519.sign({ key: e.privateKey, message })).toEqual({ rc: 0, signature: new Uint8Array(nodeSign(null, message, nodeKey)) });
  });
});

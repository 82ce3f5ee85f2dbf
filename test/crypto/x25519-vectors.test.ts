import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x25519PrivateDer, x25519PublicDer } from '../../src/crypto/curve25519/der.js';
import { WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { hex, pkServer, unhex } from './helpers/ed25519-x25519.js';
import { X25519_VECTORS } from './helpers/x25519-fixtures.js';

const reversed = (b: Uint8Array) => b.slice().reverse();
/** wolfCrypt's private DER without the `[1]` public key: PKCS#8 v1 with the scalar reversed. */
const privateOnlyDer = (scalar: Uint8Array) => Uint8Array.from([...unhex('302e020100300506032b656e04220420'), ...reversed(scalar)]);
const NODE_PKCS8 = unhex('302e020100300506032b656e04220420');
const NODE_SPKI = unhex('302a300506032b656e032100');

describe('X25519 known answers through the server (RFC 7748, keys imported in wolfCrypt byte order)', () => {
  it('5.2: X25519(scalar, u) in RFC order with endian 0 and reversed with endian 1; a u with its top bit set is ECC_BAD_ARG_E', async () => {
    const { client } = pkServer();
    const [first, second] = X25519_VECTORS.scalarMult;
    for (const endian of ['little', 'big'] as const) {
      const r = await client.crypto.curve25519.sharedSecret({ privateKey: privateOnlyDer(unhex(first!.scalar)), publicKey: x25519PublicDer(unhex(first!.u)), endian });
      expect(r).toEqual({ rc: 0, keyId: 0, secret: endian === 'little' ? unhex(first!.output) : reversed(unhex(first!.output)) });
    }
    const topBit = await client.crypto.curve25519.sharedSecret({ privateKey: privateOnlyDer(unhex(second!.scalar)), publicKey: x25519PublicDer(unhex(second!.u)) });
    expect(topBit).toEqual({ rc: -170 });
    // RFC 7748 masks that bit; with it cleared, the published output comes back.
    const masked = unhex(second!.u);
    masked[31]! &= 0x7f;
    expect(await client.crypto.curve25519.sharedSecret({ privateKey: privateOnlyDer(unhex(second!.scalar)), publicKey: x25519PublicDer(masked) })).toEqual({ rc: 0, keyId: 0, secret: unhex(second!.output) });
  });

  it('6.1: Alice and Bob agree on the published secret from either side; each public key exports reversed, derived when the DER lacks it', async () => {
    const { client } = pkServer();
    const v = X25519_VECTORS.diffieHellman;
    const [aPriv, aPub, bPriv, bPub] = [v.alicePrivate, v.alicePublic, v.bobPrivate, v.bobPublic].map(unhex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const alice = await client.keyCache(0, x25519PrivateDer(aPriv, aPub), { flags: NvmFlags.USAGE_DERIVE });
    const bob = await client.keyCache(0, privateOnlyDer(bPriv), { flags: NvmFlags.USAGE_DERIVE });
    const secret = unhex(v.shared);
    expect(await client.crypto.curve25519.sharedSecret({ privateKeyId: alice.keyId, publicKey: x25519PublicDer(bPub) })).toEqual({ rc: 0, keyId: 0, secret });
    expect(await client.crypto.curve25519.sharedSecret({ privateKeyId: bob.keyId, publicKeyId: alice.keyId })).toEqual({ rc: 0, keyId: 0, secret });
    // RFC 7748 writes Alice's public key 8520f009…; wolfCrypt's SPKI carries 6a4e9baa… (spec-crypto 11.1).
    const aliceSpki = await client.keyExportPublic(alice.keyId, WhKeyAlgo.CURVE25519);
    expect(hex(aliceSpki.publicKey)).toBe(`302a300506032b656e032100${hex(reversed(aPub))}`);
    expect(hex(aliceSpki.publicKey).slice(24, 32)).toBe('6a4e9baa');
    expect(hex((await client.keyExportPublic(bob.keyId, WhKeyAlgo.CURVE25519)).publicKey)).toBe(hex(x25519PublicDer(bPub)));
  });
});

describe('X25519 interop with node:crypto (node speaks RFC 8410 byte order: reverse the 32-byte values)', () => {
  it("an ephemeral key's scalar, reversed, is a node private key with the DER's public key; the secrets agree with node's diffieHellman", async () => {
    const { client } = pkServer();
    const e = await client.crypto.curve25519.generate({ ephemeral: true });
    if (!('privateKey' in e)) throw new Error(`keygen ${e.rc}`);
    const scalar = reversed(e.privateKey.subarray(16, 48));
    const nodeKey = createPrivateKey({ key: Buffer.from([...NODE_PKCS8, ...scalar]), format: 'der', type: 'pkcs8' });
    expect(hex(createPublicKey(nodeKey).export({ format: 'der', type: 'spki' }).subarray(12))).toBe(hex(reversed(e.privateKey.subarray(50))));
    const peer = generateKeyPairSync('x25519');
    const peerU = new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    const ours = await client.crypto.curve25519.sharedSecret({ privateKey: e.privateKey, publicKey: x25519PublicDer(peerU) });
    expect(ours).toEqual({ rc: 0, keyId: 0, secret: new Uint8Array(diffieHellman({ privateKey: nodeKey, publicKey: peer.publicKey })) });
  });

  it('a cached key\'s SPKI, u reversed, imports into node; node and the server derive the same secret', async () => {
    const { client } = pkServer();
    const g = await client.crypto.curve25519.generate({ flags: NvmFlags.USAGE_DERIVE, label: 'interop' });
    if (!('publicKey' in g)) throw new Error(`keygen ${g.rc}`);
    expect(hex(g.publicKey.subarray(0, 12))).toBe(hex(NODE_SPKI));
    const serverPublic = createPublicKey({ key: Buffer.from([...NODE_SPKI, ...reversed(g.publicKey.subarray(12))]), format: 'der', type: 'spki' });
    const peer = generateKeyPairSync('x25519');
    const peerU = new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    const expected = new Uint8Array(diffieHellman({ privateKey: peer.privateKey, publicKey: serverPublic }));
    expect(await client.crypto.curve25519.sharedSecret({ privateKeyId: g.keyId, publicKey: x25519PublicDer(peerU) })).toEqual({ rc: 0, keyId: 0, secret: expected });
    // Imported straight from node (no reversal), the same public key is read as another point: another secret.
    const asIs = await client.crypto.curve25519.sharedSecret({ privateKeyId: g.keyId, publicKey: new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' })) });
    if (peerU[0]! & 0x80) expect(asIs).toEqual({ rc: -170 }); // read reversed, node's first byte is the top byte
    else expect('secret' in asIs && hex(asIs.secret)).not.toBe(hex(expected));
  });
});

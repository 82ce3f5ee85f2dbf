import { createPrivateKey, createPublicKey, diffieHellman, sign } from 'node:crypto';
import type { OwnerOp } from '../../actors/owner-ops.js';
import type { KeyCache } from '../../keystore/key-cache.js';
import { NvmFlags } from '../../nvm/metadata.js';

/**
 * Public-key operations of the whole-HSM model (Crypto II phases). Each mirrors its
 * handler's owner messages in order and computes the result with node:crypto, an
 * oracle independent of the server's own code.
 */
export type HsmPkInput =
  /** ECC P-256 key generation cached under `keyId` (number 0: the server picks one). */
  | { readonly op: 'pk.eccKeygenCache'; readonly client: number; readonly session: string; readonly keyId: number; readonly flags: number }
  /** Ed25519 (pure) signature of `message` by stored key `keyId`. */
  | { readonly op: 'pk.ed25519Sign'; readonly client: number; readonly session: string; readonly keyId: number; readonly message: readonly number[] }
  /** X25519 shared secret of two stored keys, cached under `keyId` (RFC 7748 byte order). */
  | { readonly op: 'pk.x25519ToCache'; readonly client: number; readonly session: string; readonly privateKeyId: number; readonly publicKeyId: number; readonly keyId: number; readonly flags: number };

export type PkRun = (op: OwnerOp) => { rc: number; value?: unknown };

/** wolfCrypt's SEC1 DER of a P-256 key with parameters and public key is always this long. */
const P256_SEC1_DER = 121;
/** What wolfHSM reserves for a generated ECC key (ECC_BUFSIZE): a big slot. */
const ECC_RESERVE = 257;

const ED25519_PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const reversed = (b: Uint8Array) => Buffer.from(b).reverse();

/** The 32-byte value at `off` of a stored key (wolfCrypt's DER keeps it at a fixed place). */
const at = (der: Uint8Array, off: number) => der.subarray(off, off + 32);

/** X25519 values in wolfCrypt's DER are big-endian (spec-crypto 11.1): private scalar at 16, public u at 12 (SPKI) or 50. */
function x25519Secret(priv: Uint8Array, pub: Uint8Array): Uint8Array {
  const k = createPrivateKey({ key: Buffer.concat([X25519_PKCS8, reversed(at(priv, 16))]), format: 'der', type: 'pkcs8' });
  const u = reversed(at(pub, pub.length === 44 ? 12 : 50));
  const p = createPublicKey({ key: Buffer.concat([X25519_SPKI, u]), format: 'der', type: 'spki' });
  return new Uint8Array(diffieHellman({ privateKey: k, publicKey: p }));
}

export function applyPk(input: HsmPkInput, run: PkRun, local: KeyCache, keyId: (client: number, id: number) => number, toClient: (id: number) => number): { rc: number; value?: unknown } {
  const label = new Uint8Array(24);
  switch (input.op) {
    case 'pk.eccKeygenCache': {
      // The key bytes are random: the model caches a placeholder of the same length and slot.
      const args = { local, id: keyId(input.client, input.keyId), flags: input.flags, label, data: new Uint8Array(P256_SEC1_DER), reserve: ECC_RESERVE };
      const r = run({ kind: 'key.cacheGenerated', args } as OwnerOp);
      return r.rc === 0 ? { rc: 0, value: toClient(r.value as number) } : { rc: r.rc };
    }
    case 'pk.ed25519Sign': {
      const k = run({ kind: 'key.loadForUse', args: { local, id: keyId(input.client, input.keyId), usage: NvmFlags.USAGE_SIGN } } as OwnerOp);
      if (k.rc !== 0) return { rc: k.rc };
      const der = (k.value as { data: Uint8Array }).data;
      const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, at(der, 16)]), format: 'der', type: 'pkcs8' });
      return { rc: 0, value: Array.from(sign(null, Uint8Array.from(input.message), key)) };
    }
    case 'pk.x25519ToCache': {
      // Two separate key loads (as wolfHSM's two lock holds), then the insert.
      const priv = run({ kind: 'key.loadForUse', args: { local, id: keyId(input.client, input.privateKeyId), usage: NvmFlags.USAGE_DERIVE } } as OwnerOp);
      if (priv.rc !== 0) return { rc: priv.rc };
      const pub = run({ kind: 'key.loadForUse', args: { local, id: keyId(input.client, input.publicKeyId), usage: 0 } } as OwnerOp);
      if (pub.rc !== 0) return { rc: pub.rc };
      const secret = x25519Secret((priv.value as { data: Uint8Array }).data, (pub.value as { data: Uint8Array }).data);
      const r = run({ kind: 'key.cacheGenerated', args: { local, id: keyId(input.client, input.keyId), flags: input.flags, label, data: secret } } as OwnerOp);
      return r.rc === 0 ? { rc: 0, value: toClient(r.value as number) } : { rc: r.rc };
    }
  }
}

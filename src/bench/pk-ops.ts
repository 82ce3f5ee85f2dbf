/**
 * The public-key bench's operations: each has a per-client setup on the server (a key
 * generated there, by id), one operation through the HSM, and the same work done by
 * the same library called directly. Shared by the separate-process load clients and
 * the bench, so both sides do identical work.
 */
import { constants, createHash, generateKeyPairSync, privateDecrypt, randomBytes, sign } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import type { HsmClient } from '../client/hsm-client.js';
import { NvmFlags } from '../nvm/metadata.js';

export interface PkOp {
  /** What the server runs per client before the loop: typically a cached key; answers the key id. */
  setup(c: HsmClient): Promise<number>;
  /** One operation by key id; true when it answered OK. */
  op(c: HsmClient, keyId: number): Promise<boolean>;
  /** The same work with the same library, called directly (a function per call, after its own setup). */
  direct(): () => unknown;
}

const SIGNER = NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY;
const DIGEST = createHash('sha256').update('bench').digest();
const MESSAGE = new Uint8Array(256).fill(0x42);

/** A key id from a generate call, or a thrown error naming what failed. */
function idOf(name: string, r: { rc: number; keyId?: number }): number {
  if (r.rc !== 0 || r.keyId === undefined) throw new Error(`bench: ${name} keygen rc ${r.rc}`);
  return r.keyId;
}

/** A 2048-bit input below any 2048-bit modulus (top byte 0). */
const RSA_INPUT = Uint8Array.from({ length: 256 }, (_, i) => (i === 0 ? 0 : (i * 7) & 0xff));

export const PK_OPS = {
  /** RSA-2048 private operation (raw, op 3 private-decrypt): node:crypto with RSA_NO_PADDING on both sides. */
  'rsa2048-private': {
    async setup(c) {
      const r = await c.crypto.rsa.generate({ bits: 2048, flags: NvmFlags.USAGE_DECRYPT | NvmFlags.USAGE_ENCRYPT, label: 'bench' });
      if (r.rc !== 0 || !('keyId' in r)) throw new Error(`bench: RSA keygen rc ${r.rc}`);
      return r.keyId;
    },
    op: async (c, keyId) => (await c.crypto.rsa.function({ keyId, op: 3, input: RSA_INPUT })).rc === 0,
    direct() {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return () => privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, RSA_INPUT);
    },
  },
  /** ECDSA P-256 over a digest: @noble/curves on both sides (no low-S normalisation, fresh entropy in k). */
  'ecdsa-p256-sign': {
    setup: async (c) => idOf('ECC', await c.crypto.ecc.generate({ curve: 'P-256', flags: SIGNER })),
    op: async (c, keyId) => (await c.crypto.ecc.sign({ keyId, digest: DIGEST })).rc === 0,
    direct() {
      const sk = p256.utils.randomSecretKey();
      return () => p256.sign(DIGEST, sk, { prehash: false, lowS: false, extraEntropy: randomBytes(32) });
    },
  },
  /** Pure Ed25519 of 256 bytes: node:crypto on both sides. */
  'ed25519-sign': {
    setup: async (c) => idOf('Ed25519', await c.crypto.ed25519.generate({ flags: SIGNER })),
    op: async (c, keyId) => (await c.crypto.ed25519.sign({ keyId, message: MESSAGE })).rc === 0,
    direct() {
      const { privateKey } = generateKeyPairSync('ed25519');
      return () => sign(null, MESSAGE, privateKey);
    },
  },
  /** ML-DSA-65 of 256 bytes, hedged: @noble/post-quantum on both sides. */
  'mldsa65-sign': {
    setup: async (c) => idOf('ML-DSA', await c.crypto.mldsa.generate({ level: 65, flags: SIGNER })),
    op: async (c, keyId) => (await c.crypto.mldsa.sign({ keyId, message: MESSAGE })).rc === 0,
    direct() {
      const { secretKey } = ml_dsa65.keygen();
      return () => ml_dsa65.sign(MESSAGE, secretKey);
    },
  },
  /** RSA-4096 key generation, returned (EPHEMERAL): the heavy job of the isolation figure. */
  'rsa4096-keygen': {
    setup: async () => 0,
    op: async (c) => (await c.crypto.rsa.generate({ bits: 4096, ephemeral: true })).rc === 0,
    direct: () => () => generateKeyPairSync('rsa', { modulusLength: 4096 }),
  },
} satisfies Record<string, PkOp>;

export type PkOpName = keyof typeof PK_OPS;
export const isPkOp = (w: string): w is PkOpName => Object.hasOwn(PK_OPS, w);

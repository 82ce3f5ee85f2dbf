/**
 * The public-key bench's operations: each has a per-client setup on the server (a key
 * generated there, by id), one operation through the HSM, and the same work done by
 * the same library called directly. Shared by the separate-process load clients and
 * the bench, so both sides do identical work.
 */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
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
  /** RSA-4096 key generation, returned (EPHEMERAL): the heavy job of the isolation figure. */
  'rsa4096-keygen': {
    setup: async () => 0,
    op: async (c) => (await c.crypto.rsa.generate({ bits: 4096, ephemeral: true })).rc === 0,
    direct: () => () => generateKeyPairSync('rsa', { modulusLength: 4096 }),
  },
} satisfies Record<string, PkOp>;

export type PkOpName = keyof typeof PK_OPS;
export const isPkOp = (w: string): w is PkOpName => Object.hasOwn(PK_OPS, w);

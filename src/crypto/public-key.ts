import { WhKeyAlgo } from './wolfcrypt.js';

/** A stored key's public part in wolfCrypt's export form, or the decoder's wolfCrypt error. */
export type PublicKeyResult = { readonly rc: 0; readonly publicKey: Uint8Array } | { readonly rc: number };

/** Arguments of every `<family>.publicKey` job: the key bytes as stored in the cache. */
export interface PublicKeyArgs {
  readonly key: Uint8Array;
}

/**
 * The job that encodes the public part of a stored key, by wolfHSM key algorithm
 * (EXPORT_PUBLIC, spec-keys-crypto 9). Each family implements its own job; an
 * algorithm without one is answered BADARGS, as a compiled-out one in wolfHSM.
 */
export const PUBLIC_KEY_JOB: Readonly<Partial<Record<number, string>>> = {
  [WhKeyAlgo.RSA]: 'rsa.publicKey',
  [WhKeyAlgo.ECC]: 'ecc.publicKey',
  [WhKeyAlgo.CURVE25519]: 'curve25519.publicKey',
  [WhKeyAlgo.ED25519]: 'ed25519.publicKey',
  [WhKeyAlgo.MLDSA]: 'mldsa.publicKey',
  [WhKeyAlgo.MLKEM]: 'mlkem.publicKey',
};

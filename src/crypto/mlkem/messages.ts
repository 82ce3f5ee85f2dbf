import { bytes, struct } from '../../protocol/struct.js';

/**
 * CRYPTO PK messages of ML-KEM (spec-crypto 14; whMessageCrypto_MlKem*). Payload
 * offsets: the generic header fills 0..11.
 */

/** PQC_KEM_KEYGEN (18). `access` is not used by the server. */
export const MlKemKeyGenRequest = struct('CRYPTO ML-KEM keygen request', 52, {
  level: [12, 'u32'],
  keyId: [16, 'u32'],
  flags: [20, 'u32'],
  access: [24, 'u32'],
  label: [28, bytes(24)],
});
/** Keygen answer: key id, then `len` bytes at @20 (EPHEMERAL: raw dk; cached: raw ek or nothing). */
export const MlKemKeyGenResponse = struct('CRYPTO ML-KEM keygen response', 20, { keyId: [12, 'u32'], len: [16, 'u32'] });

/** PQC_KEM_ENCAPS (19): options, level, keyId, pad. */
export const MlKemEncapsRequest = struct('CRYPTO ML-KEM encapsulate request', 28, { options: [12, 'u32'], level: [16, 'u32'], keyId: [20, 'u32'] });
/** Encapsulate answer: ciphertext at @20, then the shared secret. */
export const MlKemEncapsResponse = struct('CRYPTO ML-KEM encapsulate response', 20, { ctSz: [12, 'u32'], ssSz: [16, 'u32'] });

/** PQC_KEM_DECAPS (20): the ciphertext (ctSz) follows at @28. */
export const MlKemDecapsRequest = struct('CRYPTO ML-KEM decapsulate request', 28, { options: [12, 'u32'], level: [16, 'u32'], keyId: [20, 'u32'], ctSz: [24, 'u32'] });
/** Decapsulate answer: secret size, pad, secret at @20. */
export const MlKemDecapsResponse = struct('CRYPTO ML-KEM decapsulate response', 20, { ssSz: [12, 'u32'] });

/** Options bit of encapsulate and decapsulate. */
export const MlKemOption = { EVICT: 1 << 0 } as const;

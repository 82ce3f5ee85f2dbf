import { bytes, struct, structWithTail } from '../../protocol/struct.js';

/**
 * CRYPTO PK messages of Curve25519 (spec-crypto 11; whMessageCrypto_Curve25519*).
 * Payload offsets: the generic header fills 0..11.
 */

/** CURVE25519_KEYGEN (16): key size in bytes (must be 32). */
export const Curve25519KeyGenRequest = struct('CRYPTO Curve25519 keygen request', 48, {
  sz: [12, 'u32'],
  flags: [16, 'u32'],
  keyId: [20, 'u32'],
  label: [24, bytes(24)],
});
/** Keygen answer: key id, then `len` bytes at @20 (EPHEMERAL: 82-byte private DER; cached: 44-byte SPKI). */
export const Curve25519KeyGenResponse = structWithTail('CRYPTO Curve25519 keygen response', 20, { keyId: [12, 'u32'], len: [16, 'u32'] });

/** CURVE25519 (7): shared secret of two stored keys; `endian` 1 reverses the secret (wolfCrypt's default API order). */
export const Curve25519Request = struct('CRYPTO Curve25519 shared secret request', 60, {
  options: [12, 'u32'],
  privateKeyId: [16, 'u32'],
  publicKeyId: [20, 'u32'],
  endian: [24, 'u32'],
  flags: [28, 'u32'],
  keyId: [32, 'u32'],
  label: [36, bytes(24)],
});
/** Shared secret answer: its size (0 when cached), the cached id (0 when returned), the secret at @20. */
export const Curve25519Response = structWithTail('CRYPTO Curve25519 shared secret response', 20, { sz: [12, 'u32'], keyId: [16, 'u32'] });

/** Options bits of the shared secret request: evict the imported keys afterwards. */
export const Curve25519Option = { EVICT_PUBLIC: 1 << 0, EVICT_PRIVATE: 1 << 1 } as const;

/** `endian` values: RFC 7748 byte order, or reversed. */
export const Curve25519Endian = { LITTLE: 0, BIG: 1 } as const;

export const CURVE25519_KEY_SIZE = 32;

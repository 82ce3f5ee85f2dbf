import { bytes, struct } from '../../protocol/struct.js';

/**
 * CRYPTO PK RSA messages (spec-crypto 9). Payload offsets: the generic header fills
 * 0..11, the algorithm struct starts at 12. Shared by the server handler and the client.
 */

/** RSA_KEYGEN (PK type 8): modulus size in bits, public exponent. */
export const RsaKeyGenRequest = struct('CRYPTO RSA keygen request', 52, {
  flags: [12, 'u32'],
  keyId: [16, 'u32'],
  size: [20, 'u32'],
  e: [24, 'u32'],
  label: [28, bytes(24)],
});
/** keyId (client form, 0 when ephemeral), then `len` bytes of DER at @20. */
export const RsaKeyGenResponse = struct('CRYPTO RSA keygen response', 20, { keyId: [12, 'u32'], len: [16, 'u32'] });
export const RSA_KEYGEN_DER_OFFSET = 20;

/** RSA (PK type 1): the raw RSA function, input at @32. */
export const RsaRequest = struct('CRYPTO RSA request', 32, {
  opType: [12, 'u32'],
  options: [16, 'u32'],
  keyId: [20, 'u32'],
  inLen: [24, 'u32'],
  outLen: [28, 'u32'],
});
/** outLen (the modulus length k), then k bytes at @16. */
export const RsaResponse = struct('CRYPTO RSA response', 16, { outLen: [12, 'u32'] });
export const RSA_INPUT_OFFSET = 32;
export const RSA_OUTPUT_OFFSET = 16;

/** RSA_GET_SIZE (PK type 17). */
export const RsaGetSizeRequest = struct('CRYPTO RSA get-size request', 20, { options: [12, 'u32'], keyId: [16, 'u32'] });
/** keySize: modulus length in bytes. */
export const RsaGetSizeResponse = struct('CRYPTO RSA get-size response', 16, { keySize: [12, 'u32'] });

/** wolfCrypt's RSA function types (opType). */
export const RsaOp = { PUBLIC_ENCRYPT: 0, PUBLIC_DECRYPT: 1, PRIVATE_ENCRYPT: 2, PRIVATE_DECRYPT: 3 } as const;
export type RsaOpType = (typeof RsaOp)[keyof typeof RsaOp];

/** options bit 0 of RSA and RSA_GET_SIZE: evict the key after the operation. */
export const RSA_OPTIONS_EVICT = 0x1;

import { bytes, struct, structWithTail } from '../../protocol/struct.js';

/**
 * CRYPTO PK messages of Ed25519 (spec-crypto 12; whMessageCrypto_Ed25519*).
 * Payload offsets: the generic header fills 0..11.
 */

/** ED25519_KEYGEN (15). `access` is not used by the server. */
export const Ed25519KeyGenRequest = struct('CRYPTO Ed25519 keygen request', 48, {
  flags: [12, 'u32'],
  keyId: [16, 'u32'],
  access: [20, 'u32'],
  label: [24, bytes(24)],
});
/** Keygen answer: key id, then `outSz` bytes at @20 (EPHEMERAL: 82-byte private DER; cached: 44-byte SPKI). */
export const Ed25519KeyGenResponse = structWithTail('CRYPTO Ed25519 keygen response', 20, { keyId: [12, 'u32'], outSz: [16, 'u32'] });

/** ED25519_SIGN (6): the message (msgSz) and the context (ctxSz) follow at @32. */
export const Ed25519SignRequest = struct('CRYPTO Ed25519 sign request', 32, {
  options: [12, 'u32'],
  keyId: [16, 'u32'],
  msgSz: [20, 'u32'],
  type: [24, 'u32'],
  ctxSz: [28, 'u32'],
});
/** Sign answer: the signature (64 bytes) at @16. */
export const Ed25519SignResponse = structWithTail('CRYPTO Ed25519 sign response', 16, { sigSz: [12, 'u32'] });

/** ED25519_VERIFY (14): signature, message and context follow at @36. */
export const Ed25519VerifyRequest = struct('CRYPTO Ed25519 verify request', 36, {
  options: [12, 'u32'],
  keyId: [16, 'u32'],
  sigSz: [20, 'u32'],
  msgSz: [24, 'u32'],
  type: [28, 'u32'],
  ctxSz: [32, 'u32'],
});
/** Verify answer (only on success): res 1. A signature that does not verify is rc SIG_VERIFY_E instead. */
export const Ed25519VerifyResponse = struct('CRYPTO Ed25519 verify response', 16, { res: [12, 'u32'] });

/** Options bit of sign and verify. */
export const Ed25519Option = { EVICT: 1 << 0 } as const;

/**
 * The `type` field: wolfCrypt's Ed25519 (-1), Ed25519ctx (0), Ed25519ph (1) as the
 * byte the C server compares with, so the u32 must be exactly 255, 0 or 1.
 */
export const Ed25519Type = { PURE: 255, CTX: 0, PH: 1 } as const;
export type Ed25519TypeNumber = (typeof Ed25519Type)[keyof typeof Ed25519Type];
export const isEd25519Type = (t: number): t is Ed25519TypeNumber => t === Ed25519Type.PURE || t === Ed25519Type.CTX || t === Ed25519Type.PH;

/** RFC 8032 dom2 carries the context length in one octet. */
export const ED25519_MAX_CONTEXT = 255;
export const ED25519_SIG_SIZE = 64;

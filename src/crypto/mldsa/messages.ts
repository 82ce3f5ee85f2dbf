import { bytes, struct } from '../../protocol/struct.js';

/**
 * CRYPTO PK messages of ML-DSA (spec-crypto 13; whMessageCrypto_MlDsa*). Payload
 * offsets: the generic header fills 0..11. Variable data follows each request struct.
 */

/** PQC_SIG_KEYGEN (21). `sz` and `access` are not used by the server. */
export const MlDsaKeyGenRequest = struct('CRYPTO ML-DSA keygen request', 56, {
  sz: [12, 'u32'],
  level: [16, 'u32'],
  keyId: [20, 'u32'],
  flags: [24, 'u32'],
  access: [28, 'u32'],
  label: [32, bytes(24)],
});
/** Keygen answer: key id, then `len` bytes of DER at @20 (EPHEMERAL: key pair; cached: SPKI or nothing). */
export const MlDsaKeyGenResponse = struct('CRYPTO ML-DSA keygen response', 20, { keyId: [12, 'u32'], len: [16, 'u32'] });

/** PQC_SIG_SIGN (22): message (sz) then context (contextSz) at @36. `level` is ignored (the key's is used). */
export const MlDsaSignRequest = struct('CRYPTO ML-DSA sign request', 36, {
  options: [12, 'u32'],
  level: [16, 'u32'],
  keyId: [20, 'u32'],
  sz: [24, 'u32'],
  contextSz: [28, 'u32'],
  preHashType: [32, 'u32'],
});
/** Sign answer: signature length, pad, signature at @20. */
export const MlDsaSignResponse = struct('CRYPTO ML-DSA sign response', 20, { sz: [12, 'u32'] });

/** PQC_SIG_VERIFY (23): signature (sigSz), message (hashSz), context (contextSz) at @44. */
export const MlDsaVerifyRequest = struct('CRYPTO ML-DSA verify request', 44, {
  options: [12, 'u32'],
  level: [16, 'u32'],
  keyId: [20, 'u32'],
  sigSz: [24, 'u32'],
  hashSz: [28, 'u32'],
  contextSz: [32, 'u32'],
  preHashType: [36, 'u32'],
});
/** Verify answer: res 1 valid / 0 invalid, pad: 20 bytes in all. */
export const MlDsaVerifyResponse = struct('CRYPTO ML-DSA verify response', 20, { res: [12, 'u32'] });

/** Options bits of sign and verify. EXPORTPUB (verify) is defined by wolfHSM but never acted on. */
export const MlDsaOption = { EVICT: 1 << 0, EXPORTPUB: 1 << 1 } as const;
/** FIPS 204 context strings are at most 255 bytes (WH_CRYPTO_MLDSA_MAX_CTX_LEN). */
export const MLDSA_MAX_CONTEXT = 255;

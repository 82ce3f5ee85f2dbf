/**
 * wolfCrypt numbers a wolfHSM client puts on the wire (wolfSSL 5.8.4, spec-crypto 2.5,
 * 2.6): the CRYPTO action is wolfCrypt's algorithm class; algoType selects inside it.
 */
export const WcAlgo = { NONE: 0, HASH: 1, CIPHER: 2, PK: 3, RNG: 4, SEED: 5, HMAC: 6, CMAC: 7, CERT: 8, KDF: 9 } as const;

export const WcCipher = { AES_CBC: 2, AES_GCM: 3, AES_CTR: 4, AES_ECB: 13 } as const;

export const WcHash = {
  SHA224: 5,
  SHA256: 6,
  SHA384: 7,
  SHA512: 8,
  SHA3_224: 10,
  SHA3_256: 11,
  SHA3_384: 12,
  SHA3_512: 13,
  SHA512_224: 16,
  SHA512_256: 17,
} as const;

export const WcKdf = { HKDF: 1, TWOSTEP_CMAC: 2 } as const;

/** wolfCrypt error codes a client can see from CRYPTO. */
export const WcError = {
  BUFFER_E: -132,
  RSA_BUFFER_E: -131,
  ASN_PARSE_E: -140,
  ECC_BAD_ARG_E: -170,
  ASN_ECC_KEY_E: -171,
  ECC_CURVE_OID_E: -172,
  BAD_FUNC_ARG: -173,
  NOT_COMPILED_IN: -174,
  AES_GCM_AUTH_E: -180,
  ECC_PRIV_KEY_E: -216,
  SIG_VERIFY_E: -229,
  CRYPTOCB_UNAVAILABLE: -271,
  BAD_LENGTH_E: -279,
} as const;

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

/**
 * PK types (algoType in class PK, spec-crypto 2.5). EC_MAKE_PUB and EC_CHECK_PUB_KEY
 * are not in wolfSSL 5.8.4: the recorded build used the placeholders 0xFA and 0xFB.
 * A client built against a wolfSSL that numbers them otherwise is served through
 * `eccPkTypes({ makePub, checkPub })` (handlers/crypto/families/pk-ecc.ts), which
 * adds them beside the placeholders (deviations.md).
 */
export const WcPk = {
  RSA: 1,
  ECDH: 3,
  ECDSA_SIGN: 4,
  ECDSA_VERIFY: 5,
  ED25519_SIGN: 6,
  CURVE25519: 7,
  RSA_KEYGEN: 8,
  EC_KEYGEN: 9,
  ED25519_VERIFY: 14,
  ED25519_KEYGEN: 15,
  CURVE25519_KEYGEN: 16,
  RSA_GET_SIZE: 17,
  PQC_KEM_KEYGEN: 18,
  PQC_KEM_ENCAPS: 19,
  PQC_KEM_DECAPS: 20,
  PQC_SIG_KEYGEN: 21,
  PQC_SIG_SIGN: 22,
  PQC_SIG_VERIFY: 23,
  PQC_SIG_CHECK_PRIV_KEY: 24,
  EC_MAKE_PUB: 0xfa,
  EC_CHECK_PUB_KEY: 0xfb,
} as const;

/** wolfCrypt ECC curve ids (`ecc_curve_id`) as `curveId` carries them. */
export const WcCurve = { DEFAULT: 0, SECP192R1: 1, SECP256R1: 7, SECP224R1: 14, SECP384R1: 15, SECP521R1: 16, SECP256K1: 20, BRAINPOOLP256R1: 24 } as const;

/** wolfHSM's own key-algorithm enum (EXPORT_PUBLIC's `algo`, spec-keys-crypto 9). */
export const WhKeyAlgo = { NONE: 0, RSA: 1, ECC: 2, CURVE25519: 3, ED25519: 4, MLDSA: 5, MLKEM: 6, LMS: 7, XMSS: 8 } as const;

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

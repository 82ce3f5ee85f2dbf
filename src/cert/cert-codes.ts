/** CERT group constants (wolfhsm/wh_message_cert.h, wh_server_cert.h) and the wolfCrypt codes its answers carry. */

/** WH_CERT_FLAGS_*: the only defined bit caches the leaf's public key. */
export const CertFlags = { NONE: 0x0000, CACHE_LEAF_PUBKEY: 0x0001 } as const;

/** WOLFHSM_CFG_CERT_MAX_VERIFY_ROOTS: roots one VERIFY_MULTI_ROOT may name. */
export const CERT_MAX_VERIFY_ROOTS = 8;

/** WOLFHSM_CFG_CERT_VERIFY_CACHE_COUNT: slots of one verify cache. */
export const CERT_VERIFY_CACHE_COUNT = 16;

/** The label a cached leaf public key gets. */
export const CERT_PUBKEY_LABEL = 'cert_pubkey';

/**
 * wolfCrypt ASN errors (wolfssl/wolfcrypt/error-crypt.h) that VERIFY_ACERT answers as
 * they are, except the two signature ones, which become CERT_VERIFY (spec 1.5).
 */
export const AsnError = {
  PARSE: -140,
  SIG_OID: -152,
  SIG_CONFIRM: -155,
} as const;

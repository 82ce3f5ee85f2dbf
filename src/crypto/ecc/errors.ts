/**
 * wolfCrypt error codes only ECC answers (wolfssl/wolfcrypt/error-crypt.h); the
 * shared ones (ASN_PARSE_E, ECC_BAD_ARG_E, ASN_ECC_KEY_E, ECC_CURVE_OID_E,
 * ECC_PRIV_KEY_E, ...) are in WcError.
 */
export const WcEccError = {
  /** mp_int value out of range: a signature r or s not below the order. */
  MP_VAL: -98,
  /** A signature r or s of zero. */
  MP_ZERO_E: -121,
  /** The public point is not on the curve. */
  IS_POINT_E: -214,
  /** The public point is the point at infinity. */
  ECC_INF_E: -215,
  /** A public point coordinate not below the field prime. */
  ECC_OUT_OF_RANGE_E: -217,
} as const;

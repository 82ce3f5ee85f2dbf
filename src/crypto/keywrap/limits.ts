/**
 * Build-time limits of the wrap actions (WOLFHSM_CFG_KEYWRAP_MAX_KEY_SIZE and
 * _MAX_DATA_SIZE); the comm buffer caps both further. The key limit is the example
 * server's 5000 (wolfHSM's default is 2000), the data limit wolfHSM's default.
 */
export interface KeyWrapLimits {
  readonly maxKeySize: number;
  readonly maxDataSize: number;
}

export const DEFAULT_KEYWRAP_LIMITS: KeyWrapLimits = { maxKeySize: 5000, maxDataSize: 2000 };

/**
 * wolfHSM error codes (wolfhsm/wh_error.h), with their exact numeric values.
 *
 * Every layer reports outcomes as these codes instead of throwing: a function
 * returns `WH_OK` (0) or a negative code, or a {@link Result} carrying one.
 */
export const WhError = {
  OK: 0,
  BADARGS: -2000,
  NOTREADY: -2001,
  ABORTED: -2002,
  RESERVED1: -2003,
  RESERVED2: -2004,
  CERT_VERIFY: -2005,
  BUFFER_SIZE: -2006,
  NOHANDLER: -2007,
  NOTIMPL: -2008,
  USAGE: -2009,
  TIMEOUT: -2010,
  REQUEST_PENDING: -2011,
  LOCKED: -2100,
  ACCESS: -2101,
  NOTVERIFIED: -2102,
  NOTBLANK: -2103,
  NOTFOUND: -2104,
  NOSPACE: -2105,
  SHE_SEQUENCE_ERROR: -2200,
  SHE_KEY_NOT_AVAILABLE: -2201,
  SHE_KEY_INVALID: -2202,
  SHE_KEY_EMPTY: -2203,
  SHE_NO_SECURE_BOOT: -2204,
  SHE_WRITE_PROTECTED: -2205,
  SHE_KEY_UPDATE_ERROR: -2206,
  SHE_RNG_SEED: -2207,
  SHE_NO_DEBUGGING: -2208,
  SHE_BUSY: -2209,
  SHE_MEMORY_FAILURE: -2210,
  SHE_GENERAL_ERROR: -2211,
  AUTH_LOGIN_FAILED: -2300,
  AUTH_PERMISSION_ERROR: -2301,
  AUTH_NOT_ENABLED: -2302,
} as const;

export type WhErrorName = keyof typeof WhError;
/** Any wolfHSM result code: 0 or one of the negative error values. */
export type WhRc = (typeof WhError)[WhErrorName];
/** A failure code (every code but OK). */
export type WhFailure = Exclude<WhRc, 0>;

export const WH_OK = WhError.OK;

const names = new Map<number, WhErrorName>(
  (Object.entries(WhError) as [WhErrorName, number][]).map(([k, v]) => [v, k]),
);

/** The wolfHSM name of a code (`NOTFOUND`), or `UNKNOWN(-1234)` for other numbers. */
export function errorName(rc: number): string {
  return names.get(rc) ?? `UNKNOWN(${rc})`;
}

/** True for numbers that are defined wolfHSM result codes. */
export function isWhRc(rc: number): rc is WhRc {
  return names.has(rc);
}

/** A success carrying a value, or a failure carrying its code. */
export type Result<T> = { readonly rc: 0; readonly value: T } | { readonly rc: WhFailure };

export function ok<T>(value: T): Result<T> {
  return { rc: 0, value };
}

export function fail<T = never>(rc: WhFailure): Result<T> {
  return { rc };
}

/** Narrowing helper: `if (isOk(r)) r.value`. */
export function isOk<T>(r: Result<T>): r is { readonly rc: 0; readonly value: T } {
  return r.rc === 0;
}

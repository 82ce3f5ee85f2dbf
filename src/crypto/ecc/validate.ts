import { WcError } from '../wolfcrypt.js';
import type { EccCurve } from './curves.js';
import { WcEccError } from './errors.js';
import { coordinates, privateInRange, publicFromPrivate, type EccKey } from './key.js';

const mod = (v: bigint, m: bigint) => ((v % m) + m) % m;

/**
 * wolfCrypt's public-point validation (the first half of wc_ecc_check_key), in its
 * order: the point at infinity (all-zero coordinates) ECC_INF_E, a coordinate not
 * below p ECC_OUT_OF_RANGE_E, off the curve IS_POINT_E. The order check n·Q = O is
 * implied on these prime-order (cofactor 1) curves.
 */
export function checkPublicPoint(curve: EccCurve, q: Uint8Array): number {
  const { x, y } = coordinates(curve, q);
  if (x === 0n && y === 0n) return WcEccError.ECC_INF_E;
  if (x >= curve.p || y >= curve.p) return WcEccError.ECC_OUT_OF_RANGE_E;
  const { p, a, b } = curve;
  return mod(y * y - (x * x * x + a * x + b), p) === 0n ? 0 : WcEccError.IS_POINT_E;
}

/**
 * wc_ecc_check_key on a key whose public point is known: the point checks, then for
 * a private key the scalar in [1, n) and d·G equal to the point (ECC_PRIV_KEY_E).
 */
export function checkKeyPair(key: EccKey, q: Uint8Array): number {
  const rc = checkPublicPoint(key.curve, q);
  if (rc !== 0 || key.d === null) return rc;
  if (!privateInRange(key)) return WcError.ECC_PRIV_KEY_E;
  const derived = publicFromPrivate(key.curve, key.d);
  return derived.every((v, i) => q[i] === v) ? 0 : WcError.ECC_PRIV_KEY_E;
}

import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { WcCurve } from '../wolfcrypt.js';
import { ECC_CURVE_IDS, type EccCurveName } from './curve-ids.js';

/** A curve this server computes on: wolfCrypt's id, the DER names, the domain parameters. */
export interface EccCurve {
  /** wolfCrypt `ecc_curve_id` (the wire `curveId`). */
  readonly id: number;
  readonly name: EccCurveName;
  /** OpenSSL's name (node:crypto createECDH). */
  readonly nodeName: string;
  /** Field size in bytes: private scalar, each coordinate, the ECDH secret. */
  readonly size: number;
  /** Content octets of the named-curve OID. */
  readonly oid: Uint8Array;
  readonly ecdsa: ECDSA;
  readonly p: bigint;
  readonly n: bigint;
  readonly a: bigint;
  readonly b: bigint;
}

export type { EccCurveName } from './curve-ids.js';

const oid = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

function curve(name: EccCurveName, nodeName: string, oidHex: string, ecdsa: ECDSA): EccCurve {
  const c = ecdsa.Point.CURVE();
  const { id, size } = ECC_CURVE_IDS[name];
  return { id, name, nodeName, size, oid: oid(oidHex), ecdsa, p: c.p, n: c.n, a: c.a, b: c.b };
}

/**
 * The curves of this build, in wolfCrypt's `ecc_sets` order (which decides the
 * curve a size picks). P-192, P-224 and brainpool are not here: like a wolfSSL
 * built without them, their ids answer ECC_CURVE_OID_E.
 */
export const ECC_CURVES: readonly EccCurve[] = [
  curve('P-256', 'prime256v1', '2a8648ce3d030107', p256),
  curve('secp256k1', 'secp256k1', '2b8104000a', secp256k1),
  curve('P-384', 'secp384r1', '2b81040022', p384),
  curve('P-521', 'secp521r1', '2b81040023', p521),
];

/** The largest field size (wolfCrypt's ECC_MAXSIZE). */
export const ECC_MAX_SIZE = 66;

export const curveById = (id: number): EccCurve | undefined => ECC_CURVES.find((c) => c.id === id);

export function curveByOid(content: Uint8Array): EccCurve | undefined {
  return ECC_CURVES.find((c) => c.oid.length === content.length && c.oid.every((b, i) => content[i] === b));
}

/**
 * wolfCrypt's curve for "no curve id, `size` bytes" (wc_ecc_set_curve with
 * ECC_CURVE_DEF): the first curve of the table at least that large. A Koblitz
 * curve is never the default, as in wolfCrypt (secp256r1 comes first).
 */
export function curveBySize(size: number): EccCurve | undefined {
  return ECC_CURVES.find((c) => c.id !== WcCurve.SECP256K1 && size <= c.size);
}

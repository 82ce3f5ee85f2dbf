import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

/**
 * The PQC signature family (algoSubType) a wolfHSM client puts on ML-DSA requests:
 * wolfSSL 5.8.4 names it DILITHIUM = 1, newer wolfSSL ML-DSA (spec-crypto 2.5). A
 * client built against a wolfSSL that numbers it differently needs the PK table
 * built with its number (`mldsaPkFamiliesFor`).
 */
export const MLDSA_FAMILY = 1;

/** wolfCrypt's ML-DSA levels as `level` carries them (WC_ML_DSA_44/65/87). */
export const MlDsaLevel = { ML_DSA_44: 2, ML_DSA_65: 3, ML_DSA_87: 5 } as const;
export type MlDsaLevelNumber = (typeof MlDsaLevel)[keyof typeof MlDsaLevel];

export interface MlDsaParams {
  readonly level: MlDsaLevelNumber;
  readonly name: string;
  /** The parameter set's OID as a DER TLV (id-ml-dsa-44/65/87, 2.16.840.1.101.3.4.3.17/18/19). */
  readonly oid: Uint8Array;
  readonly publicKey: number;
  readonly secretKey: number;
  readonly signature: number;
}

const oid = (last: number) => Uint8Array.of(0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, last);

export const MLDSA_PARAMS: Readonly<Record<MlDsaLevelNumber, MlDsaParams>> = {
  2: { level: 2, name: 'ML-DSA-44', oid: oid(0x11), publicKey: 1312, secretKey: 2560, signature: 2420 },
  3: { level: 3, name: 'ML-DSA-65', oid: oid(0x12), publicKey: 1952, secretKey: 4032, signature: 3309 },
  5: { level: 5, name: 'ML-DSA-87', oid: oid(0x13), publicKey: 2592, secretKey: 4896, signature: 4627 },
};

/**
 * What caching a generated key reserves: the largest private+public DER the codec
 * writes (ML-DSA-87, 7520 bytes), so it needs a big slot at least that large.
 */
export const MLDSA_CACHE_RESERVE = 7520;

export function isMlDsaLevel(level: number): level is MlDsaLevelNumber {
  return Object.hasOwn(MLDSA_PARAMS, level);
}

/** The library implementation of a level. */
export function mlDsa(level: MlDsaLevelNumber) {
  return level === 2 ? ml_dsa44 : level === 3 ? ml_dsa65 : ml_dsa87;
}

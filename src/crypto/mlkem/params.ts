import { ml_kem1024, ml_kem512, ml_kem768 } from '@noble/post-quantum/ml-kem.js';

/**
 * The PQC KEM family (algoSubType) a wolfHSM client puts on ML-KEM requests:
 * wolfSSL's KYBER / ML-KEM = 1 (spec-crypto 2.5). A client whose wolfSSL numbers it
 * differently needs the PK table built with its number (`mlkemPkFamiliesFor`).
 */
export const MLKEM_FAMILY = 1;

/** wolfCrypt's ML-KEM levels as `level` carries them (WC_ML_KEM_512/768/1024). */
export const MlKemLevel = { ML_KEM_512: 0, ML_KEM_768: 1, ML_KEM_1024: 2 } as const;
export type MlKemLevelNumber = (typeof MlKemLevel)[keyof typeof MlKemLevel];

export interface MlKemParams {
  readonly level: MlKemLevelNumber;
  readonly name: string;
  /** Raw FIPS 203 sizes: decapsulation key, encapsulation key, ciphertext. */
  readonly dk: number;
  readonly ek: number;
  readonly ct: number;
}

export const MLKEM_PARAMS: Readonly<Record<MlKemLevelNumber, MlKemParams>> = {
  0: { level: 0, name: 'ML-KEM-512', dk: 1632, ek: 800, ct: 768 },
  1: { level: 1, name: 'ML-KEM-768', dk: 2400, ek: 1184, ct: 1088 },
  2: { level: 2, name: 'ML-KEM-1024', dk: 3168, ek: 1568, ct: 1568 },
};

/** Shared secret size at every level. */
export const MLKEM_SS_SIZE = 32;

/** What caching a generated key reserves: the largest decapsulation key (WC_ML_KEM_MAX_PRIVATE_KEY_SIZE). */
export const MLKEM_CACHE_RESERVE = 3168;

export function isMlKemLevel(level: number): level is MlKemLevelNumber {
  return Object.hasOwn(MLKEM_PARAMS, level);
}

/** The library implementation of a level. */
export function mlKem(level: MlKemLevelNumber) {
  return level === 0 ? ml_kem512 : level === 1 ? ml_kem768 : ml_kem1024;
}

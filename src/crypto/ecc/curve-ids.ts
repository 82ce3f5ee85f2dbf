import { WcCurve } from '../wolfcrypt.js';

export type EccCurveName = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

/** The wire numbers of each curve this server computes: wolfCrypt's curve id and the key size a client sends. */
export const ECC_CURVE_IDS: Readonly<Record<EccCurveName, { readonly id: number; readonly size: number }>> = {
  'P-256': { id: WcCurve.SECP256R1, size: 32 },
  'P-384': { id: WcCurve.SECP384R1, size: 48 },
  'P-521': { id: WcCurve.SECP521R1, size: 66 },
  secp256k1: { id: WcCurve.SECP256K1, size: 32 },
};

import type { PkFamilies } from './pk.js';

/** ML-DSA PK types (spec-crypto): handlers by algoType. */
export const mldsaPkFamilies: PkFamilies = {};

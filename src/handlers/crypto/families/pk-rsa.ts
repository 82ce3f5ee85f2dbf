import type { PkFamilies } from './pk.js';

/** RSA PK types (spec-crypto): handlers by algoType. */
export const rsaPkFamilies: PkFamilies = {};

import type { PkFamilies } from './pk.js';

/** ECC PK types (spec-crypto): handlers by algoType. */
export const eccPkFamilies: PkFamilies = {};

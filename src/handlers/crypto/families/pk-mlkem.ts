import type { PkFamilies } from './pk.js';

/** ML-KEM PK types (spec-crypto): handlers by algoType. */
export const mlkemPkFamilies: PkFamilies = {};

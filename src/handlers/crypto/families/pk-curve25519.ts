import type { PkFamilies } from './pk.js';

/** Curve25519 PK types (spec-crypto): handlers by algoType. */
export const curve25519PkFamilies: PkFamilies = {};

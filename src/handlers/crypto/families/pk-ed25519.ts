import type { PkFamilies } from './pk.js';

/** Ed25519 PK types (spec-crypto): handlers by algoType. */
export const ed25519PkFamilies: PkFamilies = {};

import { WcError } from '../../../crypto/wolfcrypt.js';
import type { CryptoFamily } from '../crypto-types.js';
import { curve25519PkFamilies } from './pk-curve25519.js';
import { eccPkFamilies } from './pk-ecc.js';
import { ed25519PkFamilies } from './pk-ed25519.js';
import { mldsaPkFamilies } from './pk-mldsa.js';
import { mlkemPkFamilies } from './pk-mlkem.js';
import { rsaPkFamilies } from './pk-rsa.js';

/** Handlers of the PK class by PK type (algoType), one table per algorithm family. */
export type PkFamilies = Readonly<Partial<Record<number, CryptoFamily>>>;

/** Every PK type this server computes (spec-crypto 9-14). */
export const DEFAULT_PK_FAMILIES: PkFamilies = {
  ...rsaPkFamilies,
  ...eccPkFamilies,
  ...curve25519PkFamilies,
  ...ed25519PkFamilies,
  ...mldsaPkFamilies,
  ...mlkemPkFamilies,
};

/**
 * The PK class (action 3): one more level of routing, by PK type. A type that is
 * not here answers NOT_COMPILED_IN, so a wolfCrypt client computes it in software.
 */
export function pkFamily(types: PkFamilies = DEFAULT_PK_FAMILIES): CryptoFamily {
  return async (ctx, req) => {
    const family = types[req.algoType];
    return family ? family(ctx, req) : { rc: WcError.NOT_COMPILED_IN };
  };
}

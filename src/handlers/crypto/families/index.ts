import { WcAlgo } from '../../../crypto/wolfcrypt.js';
import type { CryptoFamily } from '../crypto-types.js';
import { rngFamily } from './rng.js';

/** The algorithm classes this server computes; every other CRYPTO action answers NOT_COMPILED_IN. */
export const DEFAULT_CRYPTO_FAMILIES: Readonly<Partial<Record<number, CryptoFamily>>> = {
  [WcAlgo.RNG]: rngFamily,
};

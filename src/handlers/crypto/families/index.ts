import { WcAlgo } from '../../../crypto/wolfcrypt.js';
import type { CryptoFamily } from '../crypto-types.js';
import { aesFamily } from './aes.js';
import { cmacFamily } from './cmac.js';
import { hashFamily } from './hash.js';
import { kdfFamily } from './kdf.js';
import { pkFamily } from './pk.js';
import { rngFamily } from './rng.js';

/** The algorithm classes this server computes; every other CRYPTO action answers NOT_COMPILED_IN. */
export const DEFAULT_CRYPTO_FAMILIES: Readonly<Partial<Record<number, CryptoFamily>>> = {
  [WcAlgo.HASH]: hashFamily,
  [WcAlgo.CIPHER]: aesFamily,
  [WcAlgo.RNG]: rngFamily,
  [WcAlgo.CMAC]: cmacFamily,
  [WcAlgo.KDF]: kdfFamily,
  [WcAlgo.PK]: pkFamily(),
};

import { NvmFlags } from '../../nvm/metadata.js';
import { keyPattern, type Phase } from './phases.js';

/** One AES block of plaintext per iteration and client. */
const block = (iter: number, idx: number) => Array.from({ length: 16 }, (_, i) => (iter * 13 + idx * 5 + i * 3) & 0xff);

/**
 * Crypto races on stored keys (spec-keys-crypto 2.8: "resolve id, check usage, copy
 * the key" is one atomic step). Two clients encrypt by key id while the others
 * change the key under them; every ciphertext is checked against node:crypto
 * under the key the model says was there.
 */
export const CRYPTO_PHASES: readonly Phase[] = [
  {
    id: 111,
    name: 'CRYPTO_USE_VS_EVICT_RECACHE',
    setup: async ({ c0, K }) => {
      await c0.keyCache(K, keyPattern(0, 0), NvmFlags.USAGE_ENCRYPT);
    },
    // A and A' encrypt by id; B re-caches the key with new bytes; B' evicts it.
    op: ({ c, K, iter, idx }) =>
      idx < 2 ? c.aesEcbByKey(K, block(iter, idx)) : idx === 2 ? c.keyCache(K, keyPattern(iter, idx), NvmFlags.USAGE_ENCRYPT) : c.keyEvict(K),
  },
  {
    id: 112,
    name: 'CRYPTO_USE_VS_USAGE_CHANGE',
    setup: async ({ c0, K }) => {
      await c0.keyCache(K, keyPattern(0, 0), NvmFlags.USAGE_ENCRYPT);
    },
    // B caches bytes allowed to encrypt; B' caches other bytes that are not: a ciphertext under the
    // second key would mean a usage check and a key read that saw different versions.
    op: ({ c, K, iter, idx }) =>
      idx < 2 ? c.aesEcbByKey(K, block(iter, idx)) : c.keyCache(K, keyPattern(iter, idx), idx === 2 ? NvmFlags.USAGE_ENCRYPT : NvmFlags.USAGE_DECRYPT),
    lockstep: true,
  },
  {
    id: 113,
    name: 'KDF_CACHE_UNIQUE_ID',
    setup: async () => {},
    // Everyone derives a key into the cache with id number 0 at once: no two may get the same id,
    // and each id must hold the bytes its own derivation made (checked by the final exports).
    op: ({ c, K, iter, idx }) => c.hkdfToCache(K & 0xff00, keyPattern(iter, idx), 16),
    lockstep: true,
    final: async ({ c0, K, iterations }) => {
      for (let n = 0xff; n > 0xff - 4 * Math.min(iterations, 2); n--) await c0.keyExport((K & 0xff00) | n);
    },
  },
];

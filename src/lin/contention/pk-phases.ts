import { x25519PrivateDer, x25519PublicDer } from '../../crypto/curve25519/der.js';
import { ed25519PrivateDer } from '../../crypto/ed25519/der.js';
import { ed25519PublicKey } from '../../crypto/ed25519/eddsa.js';
import { NvmFlags } from '../../nvm/metadata.js';
import type { Phase } from './phases.js';

const bytes = (seed: number, n = 32) => Uint8Array.from({ length: n }, (_, i) => (seed * 37 + i * 11 + 3) & 0xff);
/** An Ed25519 private key in wolfCrypt's stored form, from a seed pattern. */
const edKey = (seed: number) => {
  const s = bytes(seed);
  return Array.from(ed25519PrivateDer(s, ed25519PublicKey(s)));
};
/** An X25519 private key (wolfCrypt's byte order) whose public half is not needed here. */
const xPrivate = (seed: number) => Array.from(x25519PrivateDer(bytes(seed), bytes(seed + 1)));
const xPublic = (seed: number) => {
  const u = bytes(seed);
  u[31]! &= 0x7f; // a top bit set is refused (spec-crypto 11.3)
  return Array.from(x25519PublicDer(u));
};
const message = (iter: number, idx: number) => Array.from({ length: 24 }, (_, i) => (iter * 5 + idx * 13 + i) & 0xff);

/**
 * Public-key races on stored keys (Crypto II). The model computes every result with
 * node:crypto from the key it says was there (src/lin/models/hsm-pk.ts).
 */
export const PK_PHASES: readonly Phase[] = [
  {
    id: 114,
    name: 'PK_KEYGEN_UNIQUE_ID',
    setup: async () => {},
    // Everyone generates a P-256 key cached under number 0 at once: no two may get the same id
    // (each takes a big slot, so the cache fills and later ones must answer NOSPACE alike).
    op: ({ c, K }) => c.eccKeygenCache(K & 0xff00, NvmFlags.USAGE_SIGN),
    lockstep: true,
  },
  {
    id: 115,
    name: 'PK_SIGN_VS_EVICT_USAGE',
    setup: async ({ c0, K }) => {
      await c0.keyCache(K, edKey(0), NvmFlags.USAGE_SIGN);
    },
    // A and A' sign by id; B caches a key allowed to sign; B' evicts the key or caches another
    // that may only verify (alternating). A signature by that one would mean the usage check
    // and the key read saw different keys; one after an evict, a key read from nowhere.
    op: ({ c, K, iter, idx }) => {
      if (idx < 2) return c.ed25519Sign(K, message(iter, idx));
      if (idx === 3 && iter % 2 === 0) return c.keyEvict(K);
      return c.keyCache(K, edKey(iter * 4 + idx), idx === 2 ? NvmFlags.USAGE_SIGN : NvmFlags.USAGE_VERIFY);
    },
    lockstep: true,
  },
  {
    id: 116,
    name: 'ECDH_CACHE_VS_EXPORT',
    setup: async ({ c0, K }) => {
      await c0.keyCache(K + 1, xPrivate(0), NvmFlags.USAGE_DERIVE);
      await c0.keyCache(K + 3, xPrivate(1), NvmFlags.USAGE_DERIVE);
      await c0.keyCache(K + 2, xPublic(100));
    },
    // A and A' cache X25519 secrets of two different private keys under K; B exports K, B'
    // evicts it. Each export must be the secret of the derivation that last wrote K. (The
    // key loads and the insert are separate owner steps, as in wolfHSM, so the inputs stay
    // fixed here: a key replaced between a derivation's load and its insert would be a
    // race wolfHSM has too.)
    op: ({ c, K, idx }) => (idx === 0 ? c.x25519ToCache(K + 1, K + 2, K) : idx === 1 ? c.x25519ToCache(K + 3, K + 2, K) : idx === 2 ? c.keyExport(K) : c.keyEvict(K)),
  },
];

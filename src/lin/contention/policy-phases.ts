import { NvmFlags } from '../../nvm/metadata.js';
import { keyPattern, objPattern, type Phase } from './phases.js';

/**
 * Phases beyond wolfHSM's 36, where flags change while others act: a policy
 * check and the action it guards must not be split (spec-core 8 #7, #12, #13).
 * A fresh object id per iteration makes every iteration a new race.
 */
export const POLICY_PHASES: readonly Phase[] = [
  {
    id: 101,
    name: 'NVM_ADD_VS_PROTECT',
    setup: async () => {},
    // A adds plain objects; B writes the same id NONMODIFIABLE; the final check reads every object.
    op: ({ c, iter, idx }) => (idx < 2 ? c.add(200 + iter, objPattern(iter, idx, 8)) : idx === 2 ? c.add(200 + iter, objPattern(iter, 9, 8), NvmFlags.NONMODIFIABLE) : c.getMetadata(200 + iter)),
    final: async ({ c0, iterations }) => {
      for (let i = 0; i < iterations; i++) await c0.read(200 + i, 0, 8);
    },
  },
  {
    id: 102,
    name: 'NVM_DESTROY_VS_PROTECT',
    setup: async () => {},
    // B creates a plain object then re-adds it NONDESTROYABLE; A destroys it; the final check looks for it.
    op: async ({ c, iter, idx }) => {
      if (idx < 2) return c.destroy([300 + iter]);
      if (idx === 2) {
        await c.add(300 + iter, objPattern(iter, idx, 8));
        return c.add(300 + iter, objPattern(iter, idx, 8), NvmFlags.NONDESTROYABLE);
      }
      return c.getMetadata(300 + iter);
    },
    final: async ({ c0, iterations }) => {
      for (let i = 0; i < iterations; i++) await c0.getMetadata(300 + i);
    },
  },
  {
    id: 103,
    name: 'KS_EXPORT_VS_PROTECT',
    // B re-caches the key, alternately NONEXPORTABLE and exportable, with different bytes; A exports.
    setup: async ({ c0, K }) => {
      await c0.keyCache(K, keyPattern(0, 0));
    },
    op: ({ c, K, iter, idx }) => (idx < 2 ? c.keyExport(K) : c.keyCache(K, keyPattern(iter, idx), iter % 2 === 0 ? NvmFlags.NONEXPORTABLE : 0)),
  },
];

/** A key per iteration (global numbers 1..n): every iteration is a fresh race on a fresh key. */
const iterKey = (K: number, iter: number) => (K & 0xff00) | (1 + (iter % 8));

/**
 * Key-side policy and write-back races (spec-core 8 #2, #3, #4, #6, #8). Keep
 * iterations at 8 or fewer: each iteration takes a cache slot.
 */
export const KEY_POLICY_PHASES: readonly Phase[] = [
  {
    id: 104,
    name: 'KS_CACHE_VS_PROTECT',
    setup: async () => {},
    op: ({ c, K, iter, idx }) => (idx < 2 ? c.keyCache(iterKey(K, iter), keyPattern(iter, idx)) : idx === 2 ? c.keyCache(iterKey(K, iter), keyPattern(iter, 9), NvmFlags.NONMODIFIABLE) : c.keyExport(iterKey(K, iter))),
    final: async ({ c0, K, iterations }) => {
      for (let i = 0; i < Math.min(iterations, 8); i++) await c0.keyExport(iterKey(K, i));
    },
  },
  {
    id: 105,
    name: 'KS_EVICT_VS_PROTECT',
    lockstep: true,
    setup: async () => {},
    op: async ({ c, K, iter, idx }) => {
      if (idx < 2) return c.keyEvict(iterKey(K, iter));
      if (idx === 2) {
        await c.keyCache(iterKey(K, iter), keyPattern(iter, idx));
        return c.keyCache(iterKey(K, iter), keyPattern(iter, 9), NvmFlags.NONDESTROYABLE);
      }
      return c.keyExport(iterKey(K, iter));
    },
    final: async ({ c0, K, iterations }) => {
      for (let i = 0; i < Math.min(iterations, 8); i++) await c0.keyExport(iterKey(K, i));
    },
  },
  {
    id: 106,
    name: 'KS_ERASE_VS_RECOMMIT',
    lockstep: true,
    setup: async ({ c0, K }) => {
      for (let i = 0; i < 8; i++) {
        await c0.keyCache(iterKey(K, i), keyPattern(i, 0));
        await c0.keyCommit(iterKey(K, i));
      }
    },
    op: async ({ c, K, iter, idx }) => {
      if (idx < 2) return c.keyErase(iterKey(K, iter));
      await c.keyCache(iterKey(K, iter), keyPattern(iter, idx));
      return c.keyCommit(iterKey(K, iter));
    },
    final: async ({ c0, K, iterations }) => {
      for (let i = 0; i < Math.min(iterations, 8); i++) {
        await c0.keyEvict(iterKey(K, i));
        await c0.keyExport(iterKey(K, i));
      }
    },
  },
  {
    id: 107,
    name: 'KS_REVOKE_VS_RECACHE',
    lockstep: true,
    setup: async ({ c0, K }) => {
      for (let i = 0; i < 8; i++) {
        await c0.keyCache(iterKey(K, i), keyPattern(i, 0), NvmFlags.USAGE_SIGN);
        await c0.keyCommit(iterKey(K, i));
      }
    },
    op: ({ c, K, iter, idx }) => (idx < 2 ? c.keyRevoke(iterKey(K, iter)) : c.keyCache(iterKey(K, iter), keyPattern(iter, idx))),
    final: async ({ c0, K, iterations }) => {
      for (let i = 0; i < Math.min(iterations, 8); i++) await c0.keyExport(iterKey(K, i));
    },
  },
  {
    id: 108,
    name: 'KS_EXPORT_DMA_VS_PROTECT',
    dma: true,
    setup: async ({ c0, K }) => {
      await c0.keyCache(K, keyPattern(0, 0));
    },
    op: ({ c, K, iter, idx }) => (idx < 2 ? c.keyExportDma(K, 64) : c.keyCache(K, keyPattern(iter, idx), iter % 2 === 0 ? NvmFlags.NONEXPORTABLE : 0)),
  },
  {
    id: 110,
    name: 'KS_COMMIT_VS_RECACHE',
    lockstep: true,
    // A commits while B re-caches the same key with new bytes, NONDESTROYABLE; the final
    // evict tells a committed slot (evictable) from a dirty one (refused).
    setup: async ({ c0, K }) => {
      for (let i = 0; i < 8; i++) await c0.keyCache(iterKey(K, i), keyPattern(i, 0));
    },
    op: ({ c, K, iter, idx }) => (idx < 2 ? c.keyCommit(iterKey(K, iter)) : c.keyCache(iterKey(K, iter), keyPattern(iter, idx), NvmFlags.NONDESTROYABLE)),
    final: async ({ c0, K, iterations }) => {
      for (let i = 0; i < Math.min(iterations, 8); i++) {
        await c0.keyEvict(iterKey(K, i));
        await c0.keyExport(iterKey(K, i));
      }
    },
  },
];

/**
 * Add-with-reclaim under pressure (spec-core 8 #19): the store is nearly full of live
 * objects, and every counter write takes a new directory entry, so "is there room, else
 * compact, then add" runs at the edge all the time. The final GETAVAILABLE puts the
 * history under the whole-HSM model, where a spurious NOSPACE is a violation.
 */
export const RECLAIM_PHASES: readonly Phase[] = [
  {
    id: 109,
    name: 'NVM_RECLAIM_UNDER_PRESSURE',
    setup: async ({ c0 }) => {
      for (let id = 500; id < 526; id++) await c0.add(id, objPattern(id, 0, 8));
    },
    op: ({ c, iter }) => c.counterInit(7, iter),
    final: async ({ c0 }) => {
      await c0.getAvailable();
    },
  },
];

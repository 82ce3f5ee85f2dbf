import type { RecordingHsmClient } from '../hsm-history.js';

/**
 * wolfHSM's 36 contention phases (spec-stress 2.1), in execution order, against
 * the actor server. A = clients 0 and 1, B = clients 2 and 3. K is the phase's
 * key (global or local variant), N the hot NVM object 100.
 *
 * Differences from the C test, on purpose: every client has a real id (COMM
 * INIT). Local keys and counters are per client, so the local-key variant and
 * the counter phases pair the four connections on ids 1, 2, 1, 2: A's and B's
 * connections then really race on the same local key or counter (the C test got
 * its sharing from every client being client 0, spec-stress 6). Each phase starts
 * from a fresh server (the C test carries state over and many phases run dry,
 * spec-stress 2.3), and counter phases initialise every client's counter.
 */
export interface PhaseCtx {
  readonly c: RecordingHsmClient;
  /** Client index 0..3 (its COMM INIT id is index + 1). */
  readonly idx: number;
  readonly iter: number;
  readonly K: number;
  readonly N: number;
  /** The revoke phases' key. */
  readonly R: number;
}

export interface Phase {
  readonly id: number;
  readonly name: string;
  readonly dma?: boolean;
  /** Iterations per client as a share of the configured count (phase 25 runs a tenth). */
  readonly share?: number;
  /**
   * COMM INIT ids of clients 0..3 when they must share an owner to race at all:
   * counters are per client, so the counter phases pair connections on ids 1 and 2.
   */
  readonly clientIds?: readonly number[];
  /** Setup by client 0 only, before everyone starts (clients[] for per-client counter setup). */
  setup(ctx: { c0: RecordingHsmClient; clients: readonly RecordingHsmClient[]; K: number; N: number; R: number }): Promise<void>;
  op(ctx: PhaseCtx): Promise<unknown>;
  /** Start every iteration together on all clients (a barrier between iterations) instead of free-running lanes. */
  readonly lockstep?: boolean;
  /** A check by client 0 once every lane has finished (recorded like everything else). */
  final?(ctx: { c0: RecordingHsmClient; K: number; N: number; iterations: number }): Promise<void>;
}

const A = (idx: number) => idx < 2;
/** Two connections per client id (1, 2, 1, 2): A and B then race on the same per-client objects. */
export const PAIRED_IDS: readonly number[] = [1, 2, 1, 2];
/** A 16-byte key pattern from the iteration and the client. */
export const keyPattern = (iter: number, idx: number) => Array.from({ length: 16 }, (_, i) => (iter * 7 + idx * 31 + i) & 0xff);
/** A 64-byte (or shorter) object pattern. */
export const objPattern = (iter: number, idx: number, len = 64) => Array.from({ length: len }, (_, i) => (iter * 13 + idx * 17 + i) & 0xff);

const cacheK = (c: RecordingHsmClient, K: number, v = 0) => c.keyCache(K, keyPattern(v, 0));
const freshN = async (c: RecordingHsmClient, N: number) => {
  await c.destroy([N]);
  await c.add(N, objPattern(0, 0));
};

export const PHASES: readonly Phase[] = [
  { id: 1, name: 'KS_CONCURRENT_CACHE', setup: ({ c0, K }) => c0.keyEvict(K).then(() => undefined), op: ({ c, K, iter, idx }) => c.keyCache(K, keyPattern(iter, idx)) },
  { id: 2, name: 'KS_CACHE_VS_EVICT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K, iter, idx }) => (A(idx) ? c.keyCache(K, keyPattern(iter, idx)) : c.keyEvict(K)) },
  { id: 3, name: 'KS_CACHE_VS_EXPORT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K, iter, idx }) => (A(idx) ? c.keyCache(K, keyPattern(iter, idx)) : c.keyExport(K)) },
  { id: 4, name: 'KS_EVICT_VS_EXPORT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K, idx }) => (A(idx) ? c.keyEvict(K) : c.keyExport(K)) },
  { id: 5, name: 'KS_CACHE_VS_COMMIT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K, iter, idx }) => (A(idx) ? c.keyCache(K, keyPattern(iter, idx)) : c.keyCommit(K)) },
  { id: 6, name: 'KS_COMMIT_VS_EVICT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K, idx }) => (A(idx) ? c.keyCommit(K) : c.keyEvict(K)) },
  { id: 7, name: 'KS_CONCURRENT_EXPORT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K }) => c.keyExport(K) },
  { id: 8, name: 'KS_CONCURRENT_EVICT', setup: ({ c0, K }) => cacheK(c0, K).then(() => undefined), op: ({ c, K }) => c.keyEvict(K) },
  { id: 9, name: 'NVM_CONCURRENT_ADD', setup: ({ c0, N }) => c0.destroy([N]).then(() => undefined), op: ({ c, N, iter, idx }) => c.add(N, objPattern(iter, idx)) },
  { id: 10, name: 'NVM_ADD_VS_READ', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, iter, idx }) => (A(idx) ? c.add(N, objPattern(iter, idx)) : c.read(N, 0, 64)) },
  { id: 11, name: 'NVM_ADD_VS_DESTROY', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, iter, idx }) => (A(idx) ? c.add(N, objPattern(iter, idx)) : c.destroy([N])) },
  { id: 12, name: 'NVM_READ_VS_DESTROY', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, idx }) => (A(idx) ? c.read(N, 0, 64) : c.destroy([N])) },
  { id: 13, name: 'NVM_CONCURRENT_READ', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N }) => c.read(N, 0, 64) },
  {
    id: 14,
    name: 'NVM_LIST_DURING_MODIFY',
    setup: async ({ c0 }) => {
      for (const id of [100, 101, 102]) await c0.add(id, objPattern(0, 0, 16));
    },
    op: ({ c, N, iter, idx }) => (A(idx) ? (iter % 2 === 0 ? c.add(N, objPattern(iter, idx, 16)) : c.destroy([N])) : c.list(0)),
  },
  { id: 15, name: 'NVM_CONCURRENT_DESTROY', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N }) => c.destroy([N]) },
  {
    id: 16,
    name: 'CROSS_COMMIT_VS_ADD',
    setup: async ({ c0, K, N }) => {
      await cacheK(c0, K);
      await c0.add(N, objPattern(0, 0));
    },
    op: ({ c, K, N, iter, idx }) => (A(idx) ? c.keyCommit(K) : c.add(N, objPattern(iter, idx))),
  },
  {
    id: 17,
    name: 'CROSS_COMMIT_VS_DESTROY',
    setup: async ({ c0, K, N }) => {
      await cacheK(c0, K);
      await c0.add(N, objPattern(0, 0));
    },
    op: ({ c, K, N, idx }) => (A(idx) ? c.keyCommit(K) : c.destroy([N])),
  },
  {
    id: 18,
    name: 'CROSS_FRESHEN_VS_MODIFY',
    setup: async ({ c0, K, N }) => {
      await cacheK(c0, K);
      await c0.keyCommit(K);
      await c0.keyEvict(K);
      await c0.add(N, objPattern(0, 0));
    },
    op: ({ c, K, N, iter, idx }) => (A(idx) ? c.keyExport(K) : iter % 2 === 0 ? c.add(N, objPattern(iter, idx)) : c.destroy([N])),
  },
  {
    id: 19,
    name: 'KS_ERASE_VS_CACHE',
    setup: async ({ c0, K }) => {
      await cacheK(c0, K);
      await c0.keyCommit(K);
    },
    op: ({ c, K, iter, idx }) => (A(idx) ? c.keyErase(K) : c.keyCache(K, keyPattern(iter, idx))),
  },
  {
    id: 20,
    name: 'KS_ERASE_VS_EXPORT',
    setup: async ({ c0, K }) => {
      await cacheK(c0, K);
      await c0.keyCommit(K);
    },
    op: ({ c, K, idx }) => (A(idx) ? c.keyErase(K) : c.keyExport(K)),
  },
  {
    id: 21,
    name: 'KS_REVOKE_VS_CACHE',
    setup: async ({ c0, R }) => {
      await c0.keyCache(R, keyPattern(0, 0), 0x0020);
      await c0.keyCommit(R);
    },
    op: ({ c, R, iter, idx }) => (A(idx) ? c.keyRevoke(R) : c.keyCache(R, keyPattern(iter, idx))),
  },
  {
    id: 22,
    name: 'KS_REVOKE_VS_EXPORT',
    setup: async ({ c0, R }) => {
      await c0.keyCache(R, keyPattern(0, 0), 0x0020);
      await c0.keyCommit(R);
    },
    op: ({ c, R, idx }) => (A(idx) ? c.keyRevoke(R) : c.keyExport(R)),
  },
  // Unique ids: K's flag bits (GLOBAL or not) with ID 0, "pick one for me".
  { id: 23, name: 'KS_CONCURRENT_GETUNIQUEID', setup: async () => {}, op: ({ c, K, iter, idx }) => c.keyCache(K & 0xff00, keyPattern(iter, idx)) },
  {
    id: 24,
    name: 'KS_EXPLICIT_FRESHEN',
    setup: async ({ c0, K }) => {
      await c0.keyEvict(K);
      await cacheK(c0, K);
      await c0.keyCommit(K);
      await c0.keyEvict(K);
    },
    op: ({ c, K }) => c.keyExport(K),
  },
  {
    id: 25,
    name: 'NVM_ADD_WITH_RECLAIM',
    share: 0.1,
    setup: async ({ c0 }) => {
      for (let id = 100; id < 110; id++) await c0.add(id, objPattern(id, 0, 16));
    },
    op: ({ c, iter, idx }) => c.add(110 + 1000 * idx + iter, objPattern(iter, idx, 16)),
  },
  { id: 26, name: 'NVM_GETAVAILABLE_VS_ADD', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, iter, idx }) => (A(idx) ? c.getAvailable() : c.add(N, objPattern(iter, idx))) },
  { id: 27, name: 'NVM_GETMETADATA_VS_DESTROY', setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, idx }) => (A(idx) ? c.getMetadata(N) : c.destroy([N])) },
  {
    id: 28,
    name: 'NVM_READ_VS_RESIZE',
    setup: ({ c0, N }) => freshN(c0, N),
    op: async ({ c, N, iter, idx }) => {
      if (A(idx)) return c.read(N, 0, 64);
      await c.destroy([N]);
      return c.add(N, objPattern(iter, idx, iter % 2 === 0 ? 64 : 32));
    },
  },
  {
    id: 29,
    name: 'NVM_CONCURRENT_RESIZE',
    setup: ({ c0, N }) => freshN(c0, N),
    op: async ({ c, N, iter, idx }) => {
      await c.destroy([N]);
      return c.add(N, objPattern(iter, idx, iter % 2 === 0 ? 64 : 32));
    },
  },
  {
    id: 30,
    name: 'COUNTER_CONCURRENT_INCREMENT',
    clientIds: PAIRED_IDS,
    setup: async ({ clients }) => {
      for (const c of clients) {
        await c.counterDestroy(200);
        await c.counterInit(200, 0);
      }
    },
    op: ({ c }) => c.counterIncrement(200),
  },
  {
    id: 31,
    name: 'COUNTER_INCREMENT_VS_READ',
    clientIds: PAIRED_IDS,
    setup: async ({ clients }) => {
      for (const c of clients) {
        await c.counterDestroy(200);
        await c.counterInit(200, 0);
      }
    },
    op: ({ c, idx }) => (A(idx) ? c.counterIncrement(200) : c.counterRead(200)),
  },
  {
    id: 32,
    name: 'KS_CACHE_DMA_VS_EXPORT',
    dma: true,
    setup: async ({ c0, K }) => {
      await c0.keyEvict(K);
      await cacheK(c0, K);
    },
    op: ({ c, K, iter, idx }) => (A(idx) ? c.keyCacheDma(K, keyPattern(iter, idx).concat(keyPattern(iter + 1, idx))) : c.keyExport(K)),
  },
  {
    id: 33,
    name: 'KS_EXPORT_DMA_VS_EVICT',
    dma: true,
    setup: async ({ c0, K }) => {
      await c0.keyEvict(K);
      await cacheK(c0, K);
    },
    op: ({ c, K, idx }) => (A(idx) ? c.keyExportDma(K, 32) : c.keyEvict(K)),
  },
  {
    id: 34,
    name: 'NVM_ADD_DMA_VS_READ',
    dma: true,
    setup: ({ c0, N }) => freshN(c0, N),
    op: ({ c, N, iter, idx }) => (A(idx) ? c.addDma(N, objPattern(iter, idx)) : c.read(N, 0, 64)),
  },
  { id: 35, name: 'NVM_READ_DMA_VS_DESTROY', dma: true, setup: ({ c0, N }) => freshN(c0, N), op: ({ c, N, idx }) => (A(idx) ? c.readDma(N, 0, 64) : c.destroy([N])) },
  {
    id: 36,
    name: 'NVM_READ_DMA_VS_RESIZE',
    dma: true,
    setup: ({ c0, N }) => freshN(c0, N),
    op: async ({ c, N, iter, idx }) => {
      if (A(idx)) return c.readDma(N, 0, 64);
      await c.destroy([N]);
      return c.add(N, objPattern(iter, idx, iter % 2 === 0 ? 64 : 32));
    },
  },
];

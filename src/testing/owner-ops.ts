import type { Result, WhRc } from '../errors.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { OwnerPort } from '../handlers/handler-types.js';
import { cacheKey, evictKey, finishDmaCache, markKeyCommitted, prepareDmaCache } from '../keystore/keystore.js';
import { ks, type KeyArgs, type OwnerOpKind, type OwnerState, type Status } from '../actors/owner-ops.js';

const status = (rc: WhRc): Status => ({ rc });

/**
 * Owner primitives that skip a check or split a compound step. They exist so the
 * mutation tests can build deliberately broken handlers (a TOCTOU split the
 * linearizability checker must catch); a production server never has them. Give
 * them to a server with `createHsmServer({ extraOps: testingOwnerOps })`.
 */
export const testingOwnerOps = {
  'key.cacheUnchecked': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata; data: Uint8Array }): Status => status(cacheKey(ks(s, a), a.meta, a.data, false)),
  'key.evictUnchecked': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(evictKey(ks(s, a), a.id)),
  'key.markCommitted': (s: OwnerState, a: KeyArgs & { id: number }): Status => status(markKeyCommitted(ks(s, a), a.id)),
  /** CACHE_DMA's first half: id, policy, slot with metadata published before its bytes. */
  'key.cacheDmaPrepare': (s: OwnerState, a: KeyArgs & { meta: NvmMetadata }): Result<number> => prepareDmaCache(ks(s, a), a.meta),
  'key.cacheDmaFinish': (s: OwnerState, a: KeyArgs & { id: number; data: Uint8Array | null }): Status => status(finishDmaCache(ks(s, a), a.id, a.data)),
} as const;

export type TestingOpKind = keyof typeof testingOwnerOps;
export type TestingOpArgs<K extends TestingOpKind> = Parameters<(typeof testingOwnerOps)[K]>[1];
export type TestingOpResult<K extends TestingOpKind> = ReturnType<(typeof testingOwnerOps)[K]>;

/** Sends one testing primitive through a handler's owner port (the server must have been given `testingOwnerOps`). */
export function callTestingOp<K extends TestingOpKind>(port: OwnerPort, lessee: string, kind: K, args: TestingOpArgs<K>): Promise<TestingOpResult<K>> {
  return port.call(lessee, kind as unknown as OwnerOpKind, args as never) as unknown as Promise<TestingOpResult<K>>;
}

import type { Result, WhRc } from '../errors.js';
import { counterDestroy, counterIncrement, counterInit, counterRead } from '../core/counter.js';
import { nvmReadClamped } from '../core/nvm-read.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { Nvm } from '../nvm/nvm.js';
import type { NvmAvailable, NvmListResult } from '../nvm/nvm-types.js';

/** The answer of an operation that returns no data. */
export interface Status {
  readonly rc: WhRc;
}

const status = (rc: WhRc): Status => ({ rc });

/** Everything the owner actor owns. Reachable only from owner transitions. */
export interface OwnerState {
  readonly nvm: Nvm;
}

type NoArgs = Record<string, never>;

/**
 * The atomic compound operations on shared state. Each runs to completion inside
 * one owner transition, so none can interleave with another. Handlers name one of
 * these per request; a split into two would be a TOCTOU bug.
 */
export const ownerOps = {
  'nvm.getAvailable': (s: OwnerState, _a: NoArgs): Result<NvmAvailable> => s.nvm.getAvailable(),
  'nvm.list': (s: OwnerState, a: { access: number; flags: number; startId: number }): Result<NvmListResult> =>
    s.nvm.list(a.access, a.flags, a.startId),
  'nvm.getMetadata': (s: OwnerState, a: { id: number }): Result<NvmMetadata> => s.nvm.getMetadata(a.id),
  'nvm.addObject': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObject(a.meta, a.data)),
  'nvm.addObjectWithReclaim': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObjectWithReclaim(a.meta, a.data)),
  'nvm.addObjectChecked': (s: OwnerState, a: { meta: NvmMetadata; data: Uint8Array | null }): Status =>
    status(s.nvm.addObjectChecked(a.meta, a.data)),
  'nvm.destroyObjects': (s: OwnerState, a: { ids: readonly number[] }): Status =>
    status(s.nvm.destroyObjects(a.ids)),
  'nvm.destroyObjectsChecked': (s: OwnerState, a: { ids: readonly number[] }): Status =>
    status(s.nvm.destroyObjectsChecked(a.ids)),
  'nvm.read': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> => s.nvm.read(a.id, a.offset, a.len),
  'nvm.readChecked': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> =>
    s.nvm.readChecked(a.id, a.offset, a.len),
  /** NVM READ request: metadata, clamp and checked read of one version. */
  'nvm.readClamped': (s: OwnerState, a: { id: number; offset: number; len: number }): Result<Uint8Array> =>
    nvmReadClamped(s.nvm, a.id, a.offset, a.len),
  'counter.init': (s: OwnerState, a: { nvmId: number; value: number }): Result<number> => counterInit(s.nvm, a.nvmId, a.value),
  /** Read-modify-write of one counter. */
  'counter.increment': (s: OwnerState, a: { nvmId: number }): Result<number> => counterIncrement(s.nvm, a.nvmId),
  'counter.read': (s: OwnerState, a: { nvmId: number }): Result<number> => counterRead(s.nvm, a.nvmId),
  'counter.destroy': (s: OwnerState, a: { nvmId: number }): Status =>
    status(counterDestroy(s.nvm, a.nvmId)),
} as const;

export type OwnerOpKind = keyof typeof ownerOps;
export type OwnerOpArgs<K extends OwnerOpKind> = Parameters<(typeof ownerOps)[K]>[1];
export type OwnerOpResult<K extends OwnerOpKind> = ReturnType<(typeof ownerOps)[K]>;
/** One operation as it travels in an owner message. */
export type OwnerOp = { [K in OwnerOpKind]: { readonly kind: K; readonly args: OwnerOpArgs<K> } }[OwnerOpKind];

export function runOwnerOp(state: OwnerState, op: OwnerOp): unknown {
  const impl = ownerOps[op.kind] as (s: OwnerState, a: unknown) => unknown;
  return impl(state, op.args);
}

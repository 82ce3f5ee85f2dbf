import type { Result, WhRc } from '../errors.js';
import type { NvmMetadata } from './metadata.js';

/** wh_Nvm_GetAvailable outputs. Sizes in bytes, objects in directory entries. */
export interface NvmAvailable {
  readonly availSize: number;
  readonly availObjects: number;
  readonly reclaimSize: number;
  readonly reclaimObjects: number;
}

/** wh_Nvm_List outputs: how many objects from `id` to the end, and the next id (0 when none). */
export interface NvmListResult {
  readonly count: number;
  readonly id: number;
}

/**
 * The NVM backend contract (whNvmCb). Synchronous and lock-free: callers
 * serialise access (in actorhsm, the owner actor).
 */
export interface NvmBackend {
  init(): WhRc;
  cleanup(): WhRc;
  getAvailable(): Result<NvmAvailable>;
  /** Adds or replaces `meta.id`; stored len is `dataLen` (default `data.length`). */
  addObject(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc;
  list(access: number, flags: number, startId: number): Result<NvmListResult>;
  getMetadata(id: number): Result<NvmMetadata>;
  /** Destroys the listed ids; an empty list compacts. `count` defaults to `ids.length`. */
  destroyObjects(ids: readonly number[] | null, count?: number): WhRc;
  /** The same in steps (a compaction that yields between objects); optional: backends without it destroy at once. */
  destroyObjectsStepwise?(ids: readonly number[] | null, count?: number): Generator<void, WhRc, void>;
  read(id: number, offset: number, len: number): Result<Uint8Array>;
}

/** wolfHSM defaults (wh_settings.h). */
export const NVM_DEFAULTS = {
  objectCount: 32,
} as const;

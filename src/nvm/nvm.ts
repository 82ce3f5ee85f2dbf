import { WhError, fail, type Result, type WhRc } from '../errors.js';
import { NvmFlags, withFlags, type NvmMetadata } from './metadata.js';
import { nvmPolicy, type NvmPolicyOp } from './nvm-policy.js';
import type { NvmAvailable, NvmBackend, NvmListResult } from './nvm-types.js';

/**
 * The generic NVM layer (wh_nvm.c): lifecycle, add-with-reclaim, and the
 * "checked" variants that enforce object flags for client-driven requests.
 *
 * Like wolfHSM's, none of these calls synchronises anything: they are plain
 * synchronous functions over one backend. In actorhsm the owner actor is the
 * only caller, so its mailbox order is the order of these calls.
 */
export class Nvm {
  private backend: NvmBackend | null = null;

  /**
   * Initialises the backend. `null` is accepted (OK) and leaves an NVM on which
   * every call answers BADARGS, as wh_Nvm_Init does with a NULL callback table.
   */
  init(backend: NvmBackend | null): WhRc {
    this.backend = null;
    if (backend === null) return WhError.OK;
    const rc = backend.init();
    if (rc !== WhError.OK) return rc;
    this.backend = backend;
    return WhError.OK;
  }

  get isReady(): boolean {
    return this.backend !== null;
  }

  /** Cleans the backend up; a second cleanup answers BADARGS, as in wolfHSM. */
  cleanup(): WhRc {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    this.backend = null;
    return b.cleanup();
  }

  getAvailable(): Result<NvmAvailable> {
    return this.backend ? this.backend.getAvailable() : fail(WhError.BADARGS);
  }

  /** Unchecked add: replaces an existing id whatever its flags. */
  addObject(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc {
    return this.backend ? this.backend.addObject(meta, data, dataLen) : WhError.BADARGS;
  }

  /**
   * Adds, compacting first when the free space or entries do not suffice but
   * reclaimable ones would. The decision is approximate, as in wolfHSM: the add
   * can still answer NOSPACE after the compaction.
   */
  addObjectWithReclaim(meta: NvmMetadata, data: Uint8Array | null, dataLen: number = data?.length ?? 0): WhRc {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    const avail = b.getAvailable();
    if (avail.rc !== 0) return avail.rc;
    const a = avail.value;
    if (a.availSize < dataLen || a.availObjects === 0) {
      if (a.availSize + a.reclaimSize >= dataLen && a.availObjects + a.reclaimObjects > 0) {
        const rc = b.destroyObjects([]);
        if (rc !== WhError.OK) return rc;
      } else {
        return WhError.NOSPACE;
      }
    }
    return b.addObject(meta, data, dataLen);
  }

  /** Client add: refused over NONMODIFIABLE/TRUSTED objects; server-only flags are stripped. */
  addObjectChecked(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    const rc = this.checkPolicy('add', meta.id);
    if (rc !== WhError.OK && rc !== WhError.NOTFOUND) return rc;
    return b.addObject(withFlags(meta, meta.flags & ~NvmFlags.SERVER_ONLY), data, dataLen);
  }

  list(access: number, flags: number, startId: number): Result<NvmListResult> {
    return this.backend ? this.backend.list(access, flags, startId) : fail(WhError.BADARGS);
  }

  /** No policy: metadata of protected objects is visible. */
  getMetadata(id: number): Result<NvmMetadata> {
    return this.backend ? this.backend.getMetadata(id) : fail(WhError.BADARGS);
  }

  /** Unchecked destroy; an empty list compacts. */
  destroyObjects(ids: readonly number[] | null, count?: number): WhRc {
    return this.backend ? this.backend.destroyObjects(ids, count) : WhError.BADARGS;
  }

  /** Client destroy: the whole batch is refused (ACCESS) if any present id is protected. */
  destroyObjectsChecked(ids: readonly number[] | null, count: number = ids?.length ?? 0): WhRc {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    const rc = this.destroyPolicy(ids, count);
    return rc === WhError.OK ? b.destroyObjects(ids, count) : rc;
  }

  /** The checks of a client destroy: a well-formed list, and no present id protected. */
  private destroyPolicy(ids: readonly number[] | null, count: number): WhRc {
    if (count > 0 && (ids === null || ids.length < count)) return WhError.BADARGS;
    for (let i = 0; i < count; i++) {
      const rc = this.checkPolicy('destroy', ids![i]!);
      if (rc !== WhError.OK && rc !== WhError.NOTFOUND) return rc;
    }
    return WhError.OK;
  }

  /**
   * destroyObjectsChecked in steps: the policy checks at once, then the backend's
   * stepwise compaction (or the whole destroy, for a backend without steps).
   */
  *destroyObjectsCheckedStepwise(ids: readonly number[] | null, count: number = ids?.length ?? 0): Generator<void, WhRc, void> {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    const rc = this.destroyPolicy(ids, count);
    if (rc !== WhError.OK) return rc;
    if (!b.destroyObjectsStepwise) return b.destroyObjects(ids, count);
    return yield* b.destroyObjectsStepwise(ids, count);
  }

  read(id: number, offset: number, len: number): Result<Uint8Array> {
    return this.backend ? this.backend.read(id, offset, len) : fail(WhError.BADARGS);
  }

  /** Client read: NOTFOUND if absent, ACCESS for NONEXPORTABLE/TRUSTED objects. */
  readChecked(id: number, offset: number, len: number): Result<Uint8Array> {
    const b = this.backend;
    if (!b) return fail(WhError.BADARGS);
    const rc = this.checkPolicy('read', id);
    if (rc !== WhError.OK) return fail(rc);
    return b.read(id, offset, len);
  }

  /** The existing object's verdict for `op`; its lookup error (NOTFOUND included) is returned as is. */
  checkPolicy(op: NvmPolicyOp, id: number): WhRc {
    const b = this.backend;
    if (!b) return WhError.BADARGS;
    const m = b.getMetadata(id);
    if (m.rc !== 0) return m.rc;
    return nvmPolicy(op, m.value);
  }
}

import { WhError, type Result, type WhRc } from '../errors.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { NvmAvailable, NvmListResult } from '../nvm/nvm-types.js';
import { WhLock, type LockConfig } from '../ports/lock/lock.js';
import { leaseLockConfig } from '../ports/lock/lease-lock.js';
import type { Owner } from './owner.js';

export type LockMode = 'lease' | 'noop';

/**
 * The NVM as custom server code sees it: every call is one owner message on
 * behalf of `lessee`, and `lock` (the wolfHSM lock API) makes several calls one
 * atomic unit, exactly as WH_NVM_LOCK / WH_NVM_UNLOCK bracket C code.
 */
export class NvmProxy {
  readonly lock = new WhLock<unknown>();

  constructor(
    readonly owner: Owner,
    readonly lessee: string,
    mode: LockMode = 'lease',
  ) {
    const cfg: LockConfig<unknown> | null = mode === 'lease' ? (leaseLockConfig(owner, lessee) as LockConfig<unknown>) : null;
    this.lock.init(cfg);
  }

  getAvailable(): Promise<Result<NvmAvailable>> {
    return this.owner.call(this.lessee, 'nvm.getAvailable', {});
  }
  list(access: number, flags: number, startId: number): Promise<Result<NvmListResult>> {
    return this.owner.call(this.lessee, 'nvm.list', { access, flags, startId });
  }
  getMetadata(id: number): Promise<Result<NvmMetadata>> {
    return this.owner.call(this.lessee, 'nvm.getMetadata', { id });
  }
  async addObject(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.owner.call(this.lessee, 'nvm.addObject', { meta, data })).rc;
  }
  async addObjectWithReclaim(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.owner.call(this.lessee, 'nvm.addObjectWithReclaim', { meta, data })).rc;
  }
  async addObjectChecked(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.owner.call(this.lessee, 'nvm.addObjectChecked', { meta, data })).rc;
  }
  async destroyObjects(ids: readonly number[]): Promise<WhRc> {
    return (await this.owner.call(this.lessee, 'nvm.destroyObjects', { ids })).rc;
  }
  async destroyObjectsChecked(ids: readonly number[]): Promise<WhRc> {
    return (await this.owner.call(this.lessee, 'nvm.destroyObjectsChecked', { ids })).rc;
  }
  read(id: number, offset: number, len: number): Promise<Result<Uint8Array>> {
    return this.owner.call(this.lessee, 'nvm.read', { id, offset, len });
  }
  readChecked(id: number, offset: number, len: number): Promise<Result<Uint8Array>> {
    return this.owner.call(this.lessee, 'nvm.readChecked', { id, offset, len });
  }
}

/** wh_Nvm_Lock: BADARGS without an NVM, else acquire its lock. */
export function nvmLock(nvm: NvmProxy | null): Promise<WhRc> {
  return nvm ? nvm.lock.acquire() : Promise.resolve(WhError.BADARGS);
}

export function nvmUnlock(nvm: NvmProxy | null): Promise<WhRc> {
  return nvm ? nvm.lock.release() : Promise.resolve(WhError.BADARGS);
}

/** A server context as the lock helpers see it: it may have no NVM at all. */
export interface NvmServerLike {
  readonly nvm: NvmProxy | null;
}

/** WH_SERVER_NVM_LOCK: BADARGS without a server; OK when it has no NVM (nothing shared); else the NVM lock. */
export function serverNvmLock(server: NvmServerLike | null): Promise<WhRc> {
  if (!server) return Promise.resolve(WhError.BADARGS);
  return server.nvm ? server.nvm.lock.acquire() : Promise.resolve(WhError.OK);
}

export function serverNvmUnlock(server: NvmServerLike | null): Promise<WhRc> {
  if (!server) return Promise.resolve(WhError.BADARGS);
  return server.nvm ? server.nvm.lock.release() : Promise.resolve(WhError.OK);
}

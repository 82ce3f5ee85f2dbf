import { WhError, type Result, type WhRc } from '../errors.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import type { NvmAvailable, NvmListResult } from '../nvm/nvm-types.js';
import { WhLock, type LockConfig } from '../ports/lock/lock.js';
import { leaseLockConfig } from '../ports/lock/lease-lock.js';
import type { Owner, OwnerClient } from './owner.js';

export type LockMode = 'lease' | 'noop';

/**
 * The NVM as custom server code sees it: every call is one owner message on
 * behalf of `lessee`, and `lock` (the wolfHSM lock API) makes several calls one
 * atomic unit, exactly as WH_NVM_LOCK / WH_NVM_UNLOCK bracket C code.
 */
export class NvmProxy {
  readonly lock = new WhLock<unknown>();
  /** This user's capability: its own lessee, distinct from every other NvmProxy's (same name or not). */
  readonly client: OwnerClient;

  constructor(owner: Owner, name: string, mode: LockMode = 'lease') {
    this.client = owner.connect(name);
    const cfg: LockConfig<unknown> | null = mode === 'lease' ? (leaseLockConfig(this.client) as LockConfig<unknown>) : null;
    this.lock.init(cfg);
  }

  /** The lessee name this proxy sends as (unique within its owner). */
  get lessee(): string {
    return this.client.lessee;
  }

  /** Ends this user: a held lease is revoked and queued calls answer ABORTED. */
  close(): void {
    this.lock.cleanup();
    this.client.close();
  }

  getAvailable(): Promise<Result<NvmAvailable>> {
    return this.client.call('nvm.getAvailable', {});
  }
  list(access: number, flags: number, startId: number): Promise<Result<NvmListResult>> {
    return this.client.call('nvm.list', { access, flags, startId });
  }
  getMetadata(id: number): Promise<Result<NvmMetadata>> {
    return this.client.call('nvm.getMetadata', { id });
  }
  async addObject(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.client.call('nvm.addObject', { meta, data })).rc;
  }
  async addObjectWithReclaim(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.client.call('nvm.addObjectWithReclaim', { meta, data })).rc;
  }
  async addObjectChecked(meta: NvmMetadata, data: Uint8Array | null): Promise<WhRc> {
    return (await this.client.call('nvm.addObjectChecked', { meta, data })).rc;
  }
  async destroyObjects(ids: readonly number[]): Promise<WhRc> {
    return (await this.client.call('nvm.destroyObjects', { ids })).rc;
  }
  async destroyObjectsChecked(ids: readonly number[]): Promise<WhRc> {
    return (await this.client.call('nvm.destroyObjectsChecked', { ids })).rc;
  }
  read(id: number, offset: number, len: number): Promise<Result<Uint8Array>> {
    return this.client.call('nvm.read', { id, offset, len });
  }
  readChecked(id: number, offset: number, len: number): Promise<Result<Uint8Array>> {
    return this.client.call('nvm.readChecked', { id, offset, len });
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

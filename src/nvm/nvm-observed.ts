import type { Result, WhRc } from '../errors.js';
import type { NvmMetadata } from './metadata.js';
import { Nvm } from './nvm.js';
import type { NvmPolicyOp } from './nvm-policy.js';
import type { NvmAvailable, NvmListResult } from './nvm-types.js';

/**
 * An Nvm that remembers, per object id and for the store as a whole, the write
 * sequence number (from `writeSeq`, e.g. a write-behind flash's) of the last change,
 * and accumulates the highest one that a run of calls observed. Whoever serialises
 * the calls (the owner) reads it after each operation to know which writes must be
 * durable before that operation's answer may leave: a read of object 7 waits for
 * a pending write of 7, not for someone else's compaction.
 *
 * Object-level answers (metadata, read, policy) observe their id; answers that
 * depend on the whole directory (available space, list, an add that may answer
 * NOSPACE, a destroy) observe the store. Changes observe their own writes.
 */
export class ObservedNvm extends Nvm {
  private readonly idSeq = new Float64Array(0x10000);
  private storeSeq = 0;
  private seen = 0;

  constructor(private readonly writeSeq: () => number) {
    super();
  }

  /** The highest write sequence number observed since the last call, and a fresh start. */
  takeObserved(): number {
    const s = this.seen;
    this.seen = 0;
    return s;
  }

  /** Marks object `id` as observed through some other path (a cached copy of it). */
  observeId(id: number): void {
    const s = this.idSeq[id & 0xffff]!;
    if (s > this.seen) this.seen = s;
  }

  /** After a call that may have written: stamp what it changed with the writes it queued. */
  private changed(ids: readonly number[], observe = true): void {
    const s = this.writeSeq();
    if (s === this.storeSeq) return;
    this.storeSeq = s;
    for (const id of ids) this.idSeq[id & 0xffff] = s;
    if (observe) this.seen = s;
  }

  /** Observes every change made so far (an answer that must wait until the store is durable). */
  observeStore(): void {
    if (this.storeSeq > this.seen) this.seen = this.storeSeq;
  }

  override getAvailable(): Result<NvmAvailable> {
    this.observeStore();
    return super.getAvailable();
  }

  override list(access: number, flags: number, startId: number): Result<NvmListResult> {
    this.observeStore();
    return super.list(access, flags, startId);
  }

  override getMetadata(id: number): Result<NvmMetadata> {
    this.observeId(id);
    return super.getMetadata(id);
  }

  override read(id: number, offset: number, len: number): Result<Uint8Array> {
    this.observeId(id);
    return super.read(id, offset, len);
  }

  override readChecked(id: number, offset: number, len: number): Result<Uint8Array> {
    this.observeId(id);
    return super.readChecked(id, offset, len);
  }

  override checkPolicy(op: NvmPolicyOp, id: number): WhRc {
    this.observeId(id);
    return super.checkPolicy(op, id);
  }

  override addObject(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc {
    this.observeStore();
    const rc = super.addObject(meta, data, dataLen);
    this.changed([meta.id]);
    return rc;
  }

  override addObjectWithReclaim(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc {
    this.observeStore();
    const rc = super.addObjectWithReclaim(meta, data, dataLen);
    this.changed([meta.id]);
    return rc;
  }

  override addObjectChecked(meta: NvmMetadata, data: Uint8Array | null, dataLen?: number): WhRc {
    this.observeStore();
    const rc = super.addObjectChecked(meta, data, dataLen);
    this.changed([meta.id]);
    return rc;
  }

  override destroyObjects(ids: readonly number[] | null, count?: number): WhRc {
    this.observeStore();
    const rc = super.destroyObjects(ids, count);
    this.changed(ids ? ids.slice(0, count ?? ids.length) : []);
    return rc;
  }

  override *destroyObjectsCheckedStepwise(ids: readonly number[] | null, count?: number): Generator<void, WhRc, void> {
    this.observeStore();
    const rc = yield* super.destroyObjectsCheckedStepwise(ids, count);
    // Stamped but not observed: the last step answers at once, so its sender can let go of
    // its lease; it then waits for durability with a separate message (`observeStore`).
    this.changed(ids ? ids.slice(0, count ?? ids.length) : [], false);
    return rc;
  }

  override destroyObjectsChecked(ids: readonly number[] | null, count?: number): WhRc {
    this.observeStore();
    const rc = super.destroyObjectsChecked(ids, count);
    this.changed(ids ? ids.slice(0, count ?? ids.length) : []);
    return rc;
  }
}

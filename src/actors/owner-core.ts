import { Subject } from 'rxjs';
import { WhError, type WhRc } from '../errors.js';
import type { LesseeId, OwnerContext, OwnerEvent } from './owner-events.js';
import { runOwnerOp, type OwnerOp, type OwnerState } from './owner-ops.js';
import type { DurableFlash } from '../ports/flash/durable-flash.js';
import { ObservedNvm } from '../nvm/nvm-observed.js';

type Settle = (result: unknown) => void;
type Deferrable = Extract<OwnerEvent, { type: 'op' } | { type: 'lease.acquire' }>;

/** One executed owner operation, for telemetry and history recording. */
export interface OwnerOpRecord {
  readonly lessee: LesseeId;
  readonly op: OwnerOp;
  readonly result: unknown;
  /** Position in the serialisation order, from 1. */
  readonly seq: number;
}

/**
 * The mutable half of the owner actor: shared state, answer tickets and the queue
 * of messages deferred during a lease. Only the owner machine's actions call into
 * it, one transition at a time, so it needs no synchronisation of its own.
 */
export class OwnerCore {
  private readonly tickets = new Map<number, Settle>();
  private nextTicket = 1;
  private deferredQueue: Deferrable[] = [];
  private holder: LesseeId | null = null;
  private leasesGranted = 0;
  private executing = false;
  /** Operations executed, in serialisation order. */
  opsExecuted = 0;
  /** Operations per lessee: a handler's round trips are visible here. */
  readonly messagesByLessee = new Map<LesseeId, number>();
  readonly ops$ = new Subject<OwnerOpRecord>();
  /** With a write-behind flash: the write sequence number the last `run` must see durable before answering. */
  lastNeed = 0;
  private readonly observed: ObservedNvm | null;

  constructor(
    readonly state: OwnerState,
    readonly durability: DurableFlash | null = null,
  ) {
    this.observed = durability && state.nvm instanceof ObservedNvm ? state.nvm : null;
  }

  /**
   * An answer as it may leave the owner: at once, or once the writes the operation
   * observed (its own included) are durable. A store that failed answers ABORTED.
   */
  deliver(result: unknown): unknown | Promise<unknown> {
    const need = this.lastNeed;
    const d = this.durability;
    if (!d || need <= d.durableSeq) return result;
    return d.whenDurable(need).then((rc) => (rc === WhError.OK ? result : { rc }));
  }

  ticket(settle: Settle): number {
    const t = this.nextTicket++;
    this.tickets.set(t, settle);
    return t;
  }

  private settle(ticket: number, result: unknown): void {
    const s = this.tickets.get(ticket);
    if (!s) return;
    this.tickets.delete(ticket);
    s(result);
  }

  view(name: string): OwnerContext {
    return { name, holder: this.holder, deferred: this.deferredQueue.length, leasesGranted: this.leasesGranted };
  }

  isHolder(lessee: LesseeId): boolean {
    return this.holder === lessee;
  }

  /** Runs one operation to completion and records it; a throw below becomes ABORTED. */
  run(lessee: LesseeId, op: OwnerOp): unknown {
    if (this.executing) throw new Error('owner re-entered: two operations at once');
    this.executing = true;
    let result: unknown;
    this.observed?.takeObserved();
    try {
      result = runOwnerOp(this.state, op);
      if (this.observed && 'id' in op.args && typeof op.args.id === 'number') this.observed.observeId(op.args.id);
    } catch {
      // A bug below must not stop the owner: the caller gets ABORTED, others go on.
      result = { rc: WhError.ABORTED };
    } finally {
      this.executing = false;
      this.lastNeed = this.observed ? this.observed.takeObserved() : 0;
    }
    const seq = ++this.opsExecuted;
    this.messagesByLessee.set(lessee, (this.messagesByLessee.get(lessee) ?? 0) + 1);
    if (this.ops$.observed) this.ops$.next({ lessee, op, result, seq });
    return result;
  }

  execute(e: Extract<OwnerEvent, { type: 'op' }>): void {
    const answer = this.deliver(this.run(e.lessee, e.op));
    if (answer instanceof Promise) {
      // Claim the ticket now: the answer leaves when the store says it is durable.
      const s = this.tickets.get(e.ticket);
      this.tickets.delete(e.ticket);
      void answer.then((r) => s?.(r));
    } else this.settle(e.ticket, answer);
  }

  /** Answers a message with a failure: ops get `{ rc }` (every op result carries one), lease calls a bare code. */
  rejectOp(e: OwnerEvent, rc: WhRc): void {
    if (e.type === 'op') this.settle(e.ticket, { rc });
    else if (e.type === 'lease.acquire' || e.type === 'lease.release') this.settle(e.ticket, rc);
  }

  grant(e: Extract<OwnerEvent, { type: 'lease.acquire' }>): void {
    this.holder = e.lessee;
    this.leasesGranted++;
    this.settle(e.ticket, WhError.OK);
  }

  defer(e: Deferrable): void {
    this.deferredQueue.push(e);
  }

  answer(ticket: number, rc: WhRc): void {
    this.settle(ticket, rc);
  }

  endLease(): void {
    this.holder = null;
  }

  dropDeferredOf(lessee: LesseeId): void {
    const keep: Deferrable[] = [];
    for (const e of this.deferredQueue) {
      if (e.lessee === lessee) this.rejectOp(e, WhError.ABORTED);
      else keep.push(e);
    }
    this.deferredQueue = keep;
  }

  /** Serves deferred messages in arrival order until one of them takes the lease. */
  replayDeferred(): void {
    while (this.deferredQueue.length > 0 && this.holder === null) {
      const e = this.deferredQueue.shift()!;
      if (e.type === 'op') this.execute(e);
      else this.grant(e);
    }
    // Messages from the new holder that were queued behind others stay queued:
    // the holder only proceeds with what it sends from now on, in order.
  }

  /** Everything still waiting is answered when the owner stops. */
  abortAll(): void {
    for (const e of this.deferredQueue) this.rejectOp(e, WhError.ABORTED);
    this.deferredQueue = [];
    this.holder = null;
  }
}

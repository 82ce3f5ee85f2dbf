import { Subject } from 'rxjs';
import { WhError, type WhRc } from '../errors.js';
import type { LesseeId, OwnerContext, OwnerEvent } from './owner-events.js';
import { runOwnerOp, type OwnerOp, type OwnerState } from './owner-ops.js';

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

  constructor(readonly state: OwnerState) {}

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
    try {
      result = runOwnerOp(this.state, op);
    } catch {
      // A bug below must not stop the owner: the caller gets ABORTED, others go on.
      result = { rc: WhError.ABORTED };
    } finally {
      this.executing = false;
    }
    const seq = ++this.opsExecuted;
    this.messagesByLessee.set(lessee, (this.messagesByLessee.get(lessee) ?? 0) + 1);
    if (this.ops$.observed) this.ops$.next({ lessee, op, result, seq });
    return result;
  }

  execute(e: Extract<OwnerEvent, { type: 'op' }>): void {
    this.settle(e.ticket, this.run(e.lessee, e.op));
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

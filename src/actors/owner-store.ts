import { WhError, type WhRc } from '../errors.js';
import { ObservedNvm } from '../nvm/nvm-observed.js';
import type { DurableFlash } from '../ports/flash/durable-flash.js';
import { detach, detachResult } from './owner-copy.js';
import type { LesseeId, WaitingMessage } from './owner-events.js';
import { Feed } from './owner-feed.js';
import { runOwnerOp, type OwnerOp, type OwnerState } from './owner-ops.js';

type Settle = (result: unknown) => void;
interface Ticket {
  readonly settle: Settle;
  /** Op answers carry `{ rc }`; lease answers are bare codes. */
  readonly op: boolean;
}

/** One executed owner operation, for telemetry and history recording (copies, never live state). */
export interface OwnerOpRecord {
  readonly lessee: LesseeId;
  readonly op: OwnerOp;
  readonly result: unknown;
  /** Position in the serialisation order, from 1. */
  readonly seq: number;
}

/** What the owner reports beside its answers: lease changes and contained failures. */
export type OwnerNotice =
  | { readonly type: 'lease.granted'; readonly lessee: LesseeId; readonly grant: number; readonly waiting: number }
  | { readonly type: 'lease.released'; readonly lessee: LesseeId; readonly grant: number }
  | { readonly type: 'lease.revoked'; readonly lessee: LesseeId; readonly grant: number; readonly reason: 'gone' | 'deadline' | 'stop' }
  | { readonly type: 'op.failed'; readonly lessee: LesseeId; readonly kind: string; readonly error: unknown }
  | { readonly type: 'subscriber.failed'; readonly error: unknown };

/** Keys are handed to the owner inside a client's own cache; a record names the cache, not the live object. */
function recordArgs(op: OwnerOp): OwnerOp {
  const args = op.args as Record<string, unknown>;
  if (!('local' in args)) return detach(op);
  const { local: _local, ...rest } = args;
  return { kind: op.kind, args: { ...detach(rest), local: 'local cache' } } as unknown as OwnerOp;
}

/**
 * The owner's heavy state and side effects, behind one handle in the machine's
 * context: the NVM and key caches, the answer tickets, the durability gate, the
 * feeds. The machine decides what happens; this executes it, one call at a time.
 */
export class OwnerStore {
  private readonly tickets = new Map<number, Ticket>();
  private nextTicket = 1;
  private executing = false;
  private readonly observed: ObservedNvm | null;
  /** Messages executed per lessee: one counter object per lessee, handed to its client so the hot path skips the map. */
  private readonly perLessee = new Map<LesseeId, { n: number }>();
  opsExecuted = 0;
  /**
   * Time spent executing operations, ms (the owner's busy time; its mailbox waits
   * meanwhile). Measured only while `timeBusy` is on (the metrics endpoint turns it on):
   * two clock reads cost a third of a small read's own time on the hot path.
   */
  busyMs = 0;
  timeBusy = false;
  failures = 0;
  readonly ops$: Feed<OwnerOpRecord>;
  readonly notices: Feed<OwnerNotice>;
  /** The write sequence number the last `run` must see durable before its answer leaves. */
  private lastNeed = 0;

  constructor(
    readonly state: OwnerState,
    readonly durability: DurableFlash | null = null,
  ) {
    this.observed = durability && state.nvm instanceof ObservedNvm ? state.nvm : null;
    this.notices = new Feed<OwnerNotice>(() => this.failures++);
    this.ops$ = new Feed<OwnerOpRecord>((error) => {
      this.failures++;
      this.notices.next({ type: 'subscriber.failed', error });
    });
  }

  /** The visualizer serialises context: show what the handle is, not the NVM behind it. */
  toJSON(): { readonly store: string; readonly opsExecuted: number } {
    return { store: 'NVM, flash and key caches', opsExecuted: this.opsExecuted };
  }

  ticket(settle: Settle, op: boolean): number {
    const t = this.nextTicket++;
    this.tickets.set(t, { settle, op });
    return t;
  }

  private take(ticket: number): Settle | undefined {
    const s = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return s?.settle;
  }

  answer(ticket: number, result: unknown): void {
    this.take(ticket)?.(result);
  }

  /** Answers a message with a failure: ops get `{ rc }`, lease calls a bare code. */
  reject(e: WaitingMessage | { type: 'lease.release'; ticket: number }, rc: WhRc): void {
    this.answer(e.ticket, e.type === 'op' ? { rc } : rc);
  }

  /** How many owner messages `lessee` has had executed (forgotten when it goes). */
  messagesOf(lessee: LesseeId): number {
    return this.perLessee.get(lessee)?.n ?? 0;
  }

  /** The message counter of `lessee` (created on first use). */
  counter(lessee: LesseeId): { n: number } {
    let c = this.perLessee.get(lessee);
    if (!c) this.perLessee.set(lessee, (c = { n: 0 }));
    return c;
  }

  forget(lessee: LesseeId): void {
    this.perLessee.delete(lessee);
  }

  /** Runs one operation to completion and records it; a throw below is reported and answers ABORTED. */
  run(lessee: LesseeId, op: OwnerOp, counter: { n: number } = this.counter(lessee)): unknown {
    if (this.executing) throw new Error('owner re-entered: two operations at once');
    this.executing = true;
    let result: unknown;
    const started = this.timeBusy ? performance.now() : 0;
    this.observed?.takeObserved();
    try {
      result = detachResult(runOwnerOp(this.state, op));
      const id = (op.args as { id?: unknown }).id;
      if (this.observed && typeof id === 'number') this.observed.observeId(id);
    } catch (error) {
      // A bug below must not stop the owner: the caller gets ABORTED, the failure is visible.
      result = { rc: WhError.ABORTED };
      this.failures++;
      this.notices.next({ type: 'op.failed', lessee, kind: op.kind, error });
    } finally {
      this.executing = false;
      this.lastNeed = this.observed ? this.observed.takeObserved() : 0;
      if (this.timeBusy) this.busyMs += performance.now() - started;
    }
    const seq = ++this.opsExecuted;
    counter.n++;
    if (this.ops$.observed) this.ops$.next({ lessee, op: recordArgs(op), result: detach(result), seq });
    return result;
  }

  /**
   * The last run's answer as it may leave the owner: at once, or once the writes it
   * observed (its own included) are durable. A failed store answers ABORTED.
   */
  deliver(result: unknown): unknown {
    const need = this.lastNeed;
    const d = this.durability;
    if (!d || need <= d.durableSeq) return result;
    return d.whenDurable(need).then((rc) => (rc === WhError.OK ? result : { rc }));
  }

  /** Runs an op event from the mailbox and settles its ticket (after durability, if needed). */
  execute(e: Extract<WaitingMessage, { type: 'op' }>): void {
    const answer = this.deliver(this.run(e.lessee, e.op));
    const settle = this.take(e.ticket);
    if (answer instanceof Promise) void answer.then((r) => settle?.(r));
    else settle?.(answer);
  }

  /** Answers everything still holding a ticket (the owner stopped). */
  abortTickets(): void {
    for (const [t, s] of this.tickets) {
      this.tickets.delete(t);
      s.settle(s.op ? { rc: WhError.ABORTED } : WhError.ABORTED);
    }
  }
}

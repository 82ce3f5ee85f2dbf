import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import type { Observable } from 'rxjs';
import type { WhRc } from '../errors.js';
import type { Nvm } from '../nvm/nvm.js';
import { bindOwnerMachine } from './owner-bind.js';
import { OwnerCore, type OwnerOpRecord } from './owner-core.js';
import type { LesseeId, OwnerEvent } from './owner-events.js';
import type { OwnerMachine } from './owner-machine.js';
import { ownerState, type OwnerOp, type OwnerOpArgs, type OwnerOpKind, type OwnerOpResult } from './owner-ops.js';
import type { KeyCacheConfig } from '../keystore/key-cache.js';
import type { KeyFeatures } from '../keystore/key-id.js';
import type { DurableFlash } from '../ports/flash/durable-flash.js';

export interface OwnerOptions {
  readonly nvm: Nvm;
  /** Global key cache geometry (default 8 × 256 + 3 × 1200). */
  readonly keyCache?: KeyCacheConfig;
  readonly keyFeatures?: KeyFeatures;
  /** Server RNG for CACHE_RANDOM (default node:crypto). */
  readonly random?: (n: number) => Uint8Array;
  readonly name?: string;
  /**
   * The write-behind flash under `nvm`, if any (then `nvm` should be an ObservedNvm):
   * each answer waits until the writes its operation observed are durable.
   */
  readonly durability?: DurableFlash;
  /** xstate inspection observer (for example @statelyai/inspect's). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * Let the mailbox run an `op` directly when the machine's transition for it is
   * the pure `executeOp` self-transition (see {@link Owner.call}). Default: on,
   * unless an inspector is attached, so an inspector sees every op as an event.
   */
  readonly directLane?: boolean;
}

/**
 * A running owner actor and the only way to reach shared state: every call is one
 * message into its mailbox and resolves with that operation's answer.
 */
export class Owner {
  readonly actor: Actor<OwnerMachine>;
  private readonly core: OwnerCore;
  private readonly directLane: boolean;
  /** Nesting of sends into the machine: while > 0 the machine has events in flight. */
  private sending = 0;

  constructor(options: OwnerOptions) {
    const state = ownerState(options.nvm, {
      ...(options.keyCache ? { cache: options.keyCache } : {}),
      ...(options.keyFeatures ? { features: options.keyFeatures } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
    this.core = new OwnerCore(state, options.durability ?? null);
    this.actor = createActor(bindOwnerMachine(this.core), {
      input: { name: options.name ?? 'nvm-owner' },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.actor.start();
    this.directLane = options.directLane ?? !options.inspect;
  }

  private send(event: OwnerEvent): void {
    this.sending++;
    try {
      this.actor.send(event);
    } finally {
      this.sending--;
    }
  }

  /**
   * Runs one atomic compound operation as `lessee`.
   *
   * In `serving`, and in `leased` for the holder, the machine's answer to an `op`
   * is a targetless transition whose only action is `executeOp`: state and context
   * come out unchanged. For exactly those cases, and only when no earlier message
   * is still inside the machine, the mailbox runs the op itself instead of having
   * xstate build an identical snapshot. Order and atomicity are the same (this is
   * still the single place that touches shared state, one op at a time); every
   * other case (deferral, refusal when stopped) goes through the machine.
   */
  call<K extends OwnerOpKind>(lessee: LesseeId, kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>> {
    const op = { kind, args } as OwnerOp;
    if (this.directLane && this.sending === 0 && this.servesDirectly(lessee)) {
      return Promise.resolve(this.core.deliver(this.core.run(lessee, op)) as OwnerOpResult<K>);
    }
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.send({ type: 'op', lessee, ticket, op });
    });
  }

  /** Mirrors the machine's `op` transitions that are `executeOp` self-transitions. */
  private servesDirectly(lessee: LesseeId): boolean {
    const snap = this.actor.getSnapshot();
    return snap.value === 'serving' || (snap.value === 'leased' && snap.context.holder === lessee);
  }

  /** Resolves OK when the lease is granted (mailbox order), ABORTED if `lessee` holds it already or the owner stopped. */
  acquireLease(lessee: LesseeId): Promise<WhRc> {
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.send({ type: 'lease.acquire', lessee, ticket });
    });
  }

  releaseLease(lessee: LesseeId): Promise<WhRc> {
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.send({ type: 'lease.release', lessee, ticket });
    });
  }

  /** Revokes `lessee`'s lease and drops its deferred messages (a dead client must not block others). */
  lesseeGone(lessee: LesseeId): void {
    this.send({ type: 'client.gone', lessee });
  }

  get holder(): LesseeId | null {
    return this.actor.getSnapshot().context.holder;
  }

  /** Executed operations, in serialisation order (rxjs stream for telemetry and history). */
  get ops$(): Observable<OwnerOpRecord> {
    return this.core.ops$;
  }

  /** How many owner messages `lessee` has had executed. */
  messagesOf(lessee: LesseeId): number {
    return this.core.messagesByLessee.get(lessee) ?? 0;
  }

  get opsExecuted(): number {
    return this.core.opsExecuted;
  }

  /** Answers everything pending with ABORTED; later calls answer ABORTED too. */
  stop(): void {
    this.send({ type: 'stop' });
    this.core.ops$.complete();
  }
}

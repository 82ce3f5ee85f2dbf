import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import type { Observable } from 'rxjs';
import type { WhRc } from '../errors.js';
import type { Nvm } from '../nvm/nvm.js';
import { bindOwnerMachine } from './owner-bind.js';
import { OwnerCore, type OwnerOpRecord } from './owner-core.js';
import type { LesseeId } from './owner-events.js';
import type { OwnerMachine } from './owner-machine.js';
import type { OwnerOpArgs, OwnerOpKind, OwnerOpResult, OwnerState } from './owner-ops.js';

export interface OwnerOptions {
  readonly nvm: Nvm;
  readonly name?: string;
  /** xstate inspection observer (for example @statelyai/inspect's). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/**
 * A running owner actor and the only way to reach shared state: every call is one
 * message into its mailbox and resolves with that operation's answer.
 */
export class Owner {
  readonly actor: Actor<OwnerMachine>;
  private readonly core: OwnerCore;

  constructor(options: OwnerOptions) {
    const state: OwnerState = { nvm: options.nvm };
    this.core = new OwnerCore(state);
    this.actor = createActor(bindOwnerMachine(this.core), {
      input: { name: options.name ?? 'nvm-owner' },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.actor.start();
  }

  /** Runs one atomic compound operation as `lessee`. */
  call<K extends OwnerOpKind>(lessee: LesseeId, kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>> {
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.actor.send({ type: 'op', lessee, ticket, op: { kind, args } as never });
    });
  }

  /** Resolves OK when the lease is granted (mailbox order), ABORTED if `lessee` holds it already or the owner stopped. */
  acquireLease(lessee: LesseeId): Promise<WhRc> {
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.actor.send({ type: 'lease.acquire', lessee, ticket });
    });
  }

  releaseLease(lessee: LesseeId): Promise<WhRc> {
    return new Promise((resolve) => {
      const ticket = this.core.ticket(resolve as (r: unknown) => void);
      this.actor.send({ type: 'lease.release', lessee, ticket });
    });
  }

  /** Revokes `lessee`'s lease and drops its deferred messages (a dead client must not block others). */
  lesseeGone(lessee: LesseeId): void {
    this.actor.send({ type: 'client.gone', lessee });
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
    this.actor.send({ type: 'stop' });
    this.core.ops$.complete();
  }
}

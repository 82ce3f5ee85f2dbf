import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { WhError, type WhRc } from '../errors.js';
import type { Nvm } from '../nvm/nvm.js';
import type { KeyCacheConfig } from '../keystore/key-cache.js';
import type { KeyFeatures } from '../keystore/key-id.js';
import type { DurableFlash } from '../ports/flash/durable-flash.js';
import type { LesseeId, OwnerEvent } from './owner-events.js';
import type { FeedObserver, FeedSubscription } from './owner-feed.js';
import { detach } from './owner-copy.js';
import { deriveDirectLane, laneAllows, laneBits, type LaneBits } from './owner-lane.js';
import { ownerMachine, type OwnerMachine } from './owner-machine.js';
import { ownerState, type ExtraOwnerOps, type OwnerOp, type OwnerOpArgs, type OwnerOpKind, type OwnerOpResult } from './owner-ops.js';
import { OwnerStore, type OwnerNotice, type OwnerOpRecord } from './owner-store.js';

export interface OwnerOptions {
  readonly nvm: Nvm;
  /** Global key cache geometry (default 8 × 256 + 3 × 1200). */
  readonly keyCache?: KeyCacheConfig;
  readonly keyFeatures?: KeyFeatures;
  /** Server RNG for CACHE_RANDOM (default node:crypto). */
  readonly random?: (n: number) => Uint8Array;
  readonly name?: string;
  /** Operations beyond the production table (actorhsm/testing's `testingOwnerOps`). */
  readonly extraOps?: ExtraOwnerOps;
  /**
   * The write-behind flash under `nvm`, if any (then `nvm` should be an ObservedNvm):
   * each answer waits until the writes its operation observed are durable.
   */
  readonly durability?: DurableFlash;
  /** A lease held longer than this is revoked, with a notice (default 30 000 ms; 0: never). */
  readonly leaseTimeoutMs?: number;
  /** xstate inspection observer (for example @statelyai/inspect's). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * Let the mailbox run an `op` directly where the machine's transition for it is
   * the pure `executeOp` (see owner-lane.ts). Default: on, unless an inspector is
   * attached, so an inspector sees every op as an event.
   */
  readonly directLane?: boolean;
}

export const DEFAULT_LEASE_TIMEOUT_MS = 30_000;

/** A read-only stream of owner records or notices; a throwing subscriber is contained. */
export interface OwnerFeed<T> {
  subscribe(observer: FeedObserver<T>): FeedSubscription;
}

/**
 * A running owner actor and the only way to reach shared state. Its machine is
 * private: callers hold an OwnerClient, a capability issued by `connect`, and every
 * call they make is one message into the mailbox.
 */
export class Owner {
  readonly #actor: Actor<OwnerMachine>;
  readonly #store: OwnerStore;
  readonly #directLane: boolean;
  readonly #lane: LaneBits;
  readonly #names = new Map<string, number>();
  /** Nesting of sends into the machine: while > 0 an event is being processed. */
  #sending = 0;

  constructor(options: OwnerOptions) {
    const state = ownerState(options.nvm, {
      ...(options.keyCache ? { cache: options.keyCache } : {}),
      ...(options.keyFeatures ? { features: options.keyFeatures } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.extraOps ? { extraOps: options.extraOps } : {}),
    });
    this.#store = new OwnerStore(state, options.durability ?? null);
    this.#lane = laneBits(deriveDirectLane(this.#store));
    this.#actor = createActor(ownerMachine, {
      input: { name: options.name ?? 'nvm-owner', store: this.#store, leaseTimeoutMs: options.leaseTimeoutMs ?? DEFAULT_LEASE_TIMEOUT_MS },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.#actor.start();
    this.#directLane = options.directLane ?? !options.inspect;
  }

  /** Issues a new lessee: the capability to send owner messages as it. Each call gives a distinct one. */
  connect(name: string): OwnerClient {
    const n = (this.#names.get(name) ?? 0) + 1;
    this.#names.set(name, n);
    return new OwnerClient(this, n === 1 ? name : `${name}#${n}`, ownerKey);
  }

  #send(event: OwnerEvent): void {
    this.#sending++;
    try {
      this.#actor.send(event);
    } finally {
      this.#sending--;
    }
  }

  #ticketed<T>(op: boolean, send: (ticket: number) => OwnerEvent): Promise<T> {
    return new Promise((resolve) => {
      const ticket = this.#store.ticket(resolve as (r: unknown) => void, op);
      this.#send(send(ticket));
    });
  }

  /** @internal Reached through an OwnerClient only. */
  _call(key: symbol, lessee: LesseeId, op: OwnerOp, counter?: { n: number }): Promise<unknown> {
    checkKey(key);
    if (this.#directLane && this.#sending === 0) {
      const snap = this.#actor.getSnapshot();
      if (laneAllows(this.#lane, snap.value, snap.context, lessee)) {
        // The machine would run exactly executeOp and stay put: run it here, same order, same effect.
        return Promise.resolve(this.#store.deliver(this.#store.run(lessee, op, counter)));
      }
    }
    // A message that may wait in the mailbox carries copies: the caller may change its arguments
    // meanwhile. (On the direct lane the op runs before the caller regains control, and what the
    // store keeps it copies itself.)
    const copied = { kind: op.kind, args: detach(op.args) } as OwnerOp;
    return this.#ticketed(true, (ticket) => ({ type: 'op', lessee, ticket, op: copied }));
  }

  /** @internal The per-lessee message counter, for an OwnerClient to carry. */
  _counter(key: symbol, lessee: LesseeId): { n: number } {
    checkKey(key);
    return this.#store.counter(lessee);
  }

  /** @internal */
  _acquire(key: symbol, lessee: LesseeId): Promise<WhRc> {
    checkKey(key);
    return this.#ticketed(false, (ticket) => ({ type: 'lease.acquire', lessee, ticket }));
  }

  /** @internal */
  _release(key: symbol, lessee: LesseeId): Promise<WhRc> {
    checkKey(key);
    return this.#ticketed(false, (ticket) => ({ type: 'lease.release', lessee, ticket }));
  }

  /** @internal */
  _gone(key: symbol, lessee: LesseeId): void {
    checkKey(key);
    this.#send({ type: 'lessee.gone', lessee });
  }

  /** Name of the lessee holding the lease, or null. */
  get holder(): LesseeId | null {
    return this.#actor.getSnapshot().context.holder?.lessee ?? null;
  }

  /** The machine's state and the number of waiting messages, for metrics and tests. */
  get status(): { readonly state: string; readonly waiting: number; readonly leasesGranted: number } {
    const s = this.#actor.getSnapshot();
    return { state: String(s.value), waiting: s.context.waiting.length, leasesGranted: s.context.leasesGranted };
  }

  /** Executed operations, in serialisation order (copies). */
  get ops$(): OwnerFeed<OwnerOpRecord> {
    return this.#store.ops$;
  }

  /** Lease grants, releases and revocations, and contained failures. */
  get notices$(): OwnerFeed<OwnerNotice> {
    return this.#store.notices;
  }

  /** How many owner messages `lessee` has had executed (forgotten when it goes). */
  messagesOf(lessee: LesseeId): number {
    return this.#store.messagesOf(lessee);
  }

  /** Milliseconds the owner spent executing operations. */
  get busyMs(): number {
    return this.#store.busyMs;
  }

  /** Starts measuring the owner's busy time (off by default: it costs two clock reads per operation). */
  measureBusyTime(): void {
    this.#store.timeBusy = true;
  }

  get opsExecuted(): number {
    return this.#store.opsExecuted;
  }

  /** Failures contained so far (operations that threw, subscribers that threw). */
  get failures(): number {
    return this.#store.failures;
  }

  /** Answers everything waiting with ABORTED, revokes the lease; later calls answer ABORTED too. */
  stop(): void {
    this.#send({ type: 'stop' });
  }
}

const ownerKey = Symbol('owner capability');
function checkKey(key: symbol): void {
  if (key !== ownerKey) throw new TypeError('owner messages are sent through an OwnerClient');
}

/**
 * The capability to talk to the owner as one lessee. Whoever holds this object can
 * send, take and release the lease as that lessee; nobody else can, whatever name
 * they know.
 */
export class OwnerClient {
  readonly #owner: Owner;
  readonly #key: symbol;
  #counter: { n: number } | null = null;
  #gone = false;

  /** @internal Issued by Owner.connect. */
  constructor(
    owner: Owner,
    readonly lessee: LesseeId,
    key: symbol,
  ) {
    checkKey(key);
    this.#owner = owner;
    this.#key = key;
  }

  call<K extends OwnerOpKind>(kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>> {
    if (this.#gone) return Promise.resolve({ rc: WhError.ABORTED } as OwnerOpResult<K>);
    // The counter object is fetched once; after the lessee is forgotten (gone) a fresh one is made.
    const counter = (this.#counter ??= this.#owner._counter(this.#key, this.lessee));
    return this.#owner._call(this.#key, this.lessee, { kind, args } as OwnerOp, counter) as Promise<OwnerOpResult<K>>;
  }

  /** Resolves OK when granted (mailbox order); ABORTED if already held or awaited, or the owner stopped. */
  acquireLease(): Promise<WhRc> {
    return this.#gone ? Promise.resolve(WhError.ABORTED) : this.#owner._acquire(this.#key, this.lessee);
  }

  /** OK; LOCKED if this lessee does not hold the lease; ABORTED once, after its lease was revoked. */
  releaseLease(): Promise<WhRc> {
    return this.#gone ? Promise.resolve(WhError.ABORTED) : this.#owner._release(this.#key, this.lessee);
  }

  /** Revokes this lessee's lease (if held) and answers what it queued ABORTED; it may go on afterwards. */
  abandon(): void {
    if (this.#gone) return;
    this.#owner._gone(this.#key, this.lessee);
    this.#counter = null; // the owner forgot this lessee's count with it
  }

  /** Ends this lessee: its lease is revoked, what it queued is answered ABORTED. Idempotent. */
  close(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#owner._gone(this.#key, this.lessee);
  }

  get closed(): boolean {
    return this.#gone;
  }
}

import { Subject, concatMap, type Subscription } from 'rxjs';
import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { dispatchPacket, type HandlerProblem, type HandlerTable } from '../handlers/dispatch.js';
import type { HandlerContext, OwnerPort, SessionState } from '../handlers/handler-types.js';
import { decodePacket } from '../protocol/header.js';
import type { ServerTransport } from '../ports/transport/transport.js';
import { keyCacheConfig, type ServerConfig } from '../server/server-config.js';
import { KeyCache } from '../keystore/key-cache.js';
import type { DmaPort } from '../ports/dma/dma-port.js';
import { deriveSessionLane, laneKey, outcomeOf, takesDirectRequests, type SessionLaneKey } from './session-lane.js';
import { sessionMachine, type SessionEvent, type SessionMachine, type SessionPorts } from './session-machine.js';

export interface SessionOptions {
  readonly sessionId: string;
  readonly transport: ServerTransport;
  readonly owner: OwnerPort & { lesseeGone(lessee: string): void };
  /** This client's memory, for the DMA request variants (in-process clients only). */
  readonly dma?: DmaPort;
  readonly config: ServerConfig;
  readonly handlers?: HandlerTable;
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Skip the machine where it would only forward a request and its answer (default: unless inspecting). */
  readonly directLane?: boolean;
  /** Told about handler bugs (a throw, an over-long answer); the client got ABORTED. */
  readonly onProblem?: (problem: HandlerProblem) => void;
  /** Told after each decoded request was handled (metrics); `seconds` is the handling time, queueing excluded. */
  readonly onRequest?: (kind: number, seconds: number) => void;
}

type Settled = Extract<SessionEvent, { type: 'request.answered' | 'request.failed' | 'request.dropped' }>;

/** A request handed to the pipeline; `direct` while the machine has not heard of it. */
interface Accepted {
  readonly packet: Uint8Array;
  direct: boolean;
}

/** Per-client state handlers see; it notes when a handler sets the client id (COMM INIT), 0 included. */
class ClientState implements SessionState {
  #clientId = 0;
  #setTo: number | null = null;
  closing = false;

  constructor(
    readonly sessionId: string,
    readonly localCache: KeyCache,
  ) {}

  get clientId(): number {
    return this.#clientId;
  }

  set clientId(id: number) {
    this.#clientId = id;
    this.#setTo = id;
  }

  /** The id a handler set since the last call, or null. */
  takeSetClientId(): number | null {
    const id = this.#setTo;
    this.#setTo = null;
    return id;
  }
}

/** Derived once: the machine definition does not change at run time. */
let derivedLane: ReadonlySet<SessionLaneKey> | null = null;

/**
 * A per-client server actor: its machine (session-machine.ts: the phases, what is
 * in flight, why it ends), the handler-visible client state, and the pipeline that
 * handles one request at a time in arrival order. Different clients' sessions run
 * concurrently and meet only in the owner's mailbox.
 */
export class Session {
  readonly actor: Actor<SessionMachine>;
  readonly state: SessionState;
  /** Resolves with the reason once the session has closed and nothing of it is in flight. */
  readonly closed: Promise<string>;
  readonly #options: SessionOptions;
  readonly #client: ClientState;
  readonly #ctx: HandlerContext;
  readonly #directLane: boolean;
  readonly #lane: ReadonlySet<SessionLaneKey>;
  readonly #requests$ = new Subject<Accepted>();
  #intake: Subscription | null = null;
  #intakeOpen = true;
  /** Requests started by the direct lane that the machine has not heard of, oldest first. */
  readonly #direct: Accepted[] = [];
  /** Packets the machine is being told about after the direct lane already started them. */
  readonly #adopted = new Set<Uint8Array>();
  /** Nesting of sends into the machine: while > 0 an event is being processed. */
  #sending = 0;
  #resolveClosed!: (reason: string) => void;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#directLane = options.directLane ?? !options.inspect;
    this.#lane = derivedLane ??= deriveSessionLane();
    this.#client = new ClientState(options.sessionId, new KeyCache(keyCacheConfig(options.config), options.sessionId));
    this.state = this.#client;
    this.#ctx = { session: this.#client, owner: options.owner, config: options.config, ...(options.dma ? { dma: options.dma } : {}) };
    this.closed = new Promise((r) => (this.#resolveClosed = r));
    this.actor = createActor(sessionMachine, {
      input: { sessionId: options.sessionId, ports: this.#ports() },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.actor.start();
    this.#requests$.pipe(concatMap((r) => this.#handle(r))).subscribe();
    this.#intake = options.transport.packets$.subscribe({
      next: (packet) => this.#receive(packet),
      complete: () => this.end(options.transport.closeReason ?? 'peer disconnected'),
      error: (e: unknown) => this.end(`transport error: ${String(e)}`),
    });
    if (!this.#intakeOpen) this.#intake.unsubscribe(); // the transport ended while subscribing
  }

  /** What the machine's actions act on. */
  #ports(): SessionPorts {
    const { transport, owner, sessionId } = this.#options;
    return {
      serve: (packet) => {
        if (!this.#adopted.delete(packet)) this.#requests$.next({ packet, direct: false });
      },
      send: (response) => this.#send(response),
      stopIntake: () => {
        this.#intakeOpen = false;
        this.#intake?.unsubscribe();
        this.#requests$.complete();
      },
      // A message to another actor, not a call inside this one's transition: delivered right after it.
      revokeLease: () => queueMicrotask(() => owner.lesseeGone(sessionId)),
      closeTransport: (reason) => transport.close(reason),
      announceClosed: (reason) => this.#resolveClosed(reason),
      toJSON: () => 'transport, handler pipeline, owner port',
    };
  }

  get sessionId(): string {
    return this.#options.sessionId;
  }

  get isClosed(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /**
   * Ends the session (server shutdown, bad framing, peer gone); revokes its lease.
   * Requests still queued are dropped; one already being handled completes, but its
   * answer is not sent.
   */
  end(reason: string): void {
    if (!this.isClosed) this.#toMachine({ type: 'end', reason });
  }

  /** A packet from the transport: straight to the pipeline where the machine's round trip would only forward it. */
  #receive(packet: Uint8Array): void {
    const snapshot = this.actor.getSnapshot();
    if (this.#directLane && this.#sending === 0 && snapshot.status === 'active' && takesDirectRequests(this.#lane, String(snapshot.value))) {
      const accepted = { packet, direct: true };
      this.#direct.push(accepted);
      this.#requests$.next(accepted);
    } else this.#toMachine({ type: 'request', packet });
  }

  /**
   * Every event reaches the machine here. Requests the direct lane started are
   * told first (the machine would have had them before this event), so the machine
   * sees the same events in the same order as without the direct lane.
   */
  #toMachine(event: SessionEvent): void {
    if (this.#direct.length > 0) {
      for (const accepted of this.#direct.splice(0)) {
        accepted.direct = false;
        this.#adopted.add(accepted.packet);
        this.#sendToMachine({ type: 'request', packet: accepted.packet });
      }
    }
    this.#sendToMachine(event);
  }

  #sendToMachine(event: SessionEvent): void {
    this.#sending++;
    try {
      this.actor.send(event);
    } finally {
      this.#sending--;
    }
  }

  /** One request at a time (concatMap): the next starts only after this one settled. */
  async #handle(accepted: Accepted): Promise<void> {
    const outcome: Settled = this.#intakeOpen ? await this.#run(accepted.packet) : { type: 'request.dropped' };
    const snapshot = this.actor.getSnapshot();
    if (
      accepted.direct &&
      this.#sending === 0 &&
      outcome.type === 'request.answered' &&
      this.#lane.has(laneKey(String(snapshot.value), outcomeOf(outcome)))
    ) {
      // Nothing reached the machine since this request started (it would have been told), and
      // its round trip there would be exactly serve, then sendAnswer, back where it started.
      this.#direct.shift();
      this.#send(outcome.response);
    } else this.#toMachine(outcome);
  }

  async #run(bytes: Uint8Array): Promise<Settled> {
    try {
      const packet = decodePacket(bytes);
      // Shorter than a header: wolfHSM treats this as fatal; we drop only this connection.
      if (!packet) return { type: 'request.failed', reason: 'packet shorter than the 8-byte header' };
      this.#client.takeSetClientId();
      const started = this.#options.onRequest ? performance.now() : 0;
      const response = await dispatchPacket(this.#ctx, packet, this.#options.handlers, this.#options.onProblem);
      if (this.#options.onRequest) observe(this.#options.onRequest, packet.header.kind, (performance.now() - started) / 1000);
      return { type: 'request.answered', response, clientId: this.#client.takeSetClientId(), closeRequested: this.#client.closing };
    } catch (e) {
      // A bug, not the client's fault; ending the connection beats leaving it waiting for an answer.
      return { type: 'request.failed', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  #send(response: Uint8Array): void {
    try {
      this.#options.transport.send(response);
    } catch (e) {
      this.end(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** A throwing observer must cost neither the answer nor the connection. */
function observe(onRequest: (kind: number, seconds: number) => void, kind: number, seconds: number): void {
  try {
    onRequest(kind, seconds);
  } catch {
    // metrics are best effort
  }
}

import { Subject, concatMap, type Subscription } from 'rxjs';
import { createActor, type Actor, type InspectionEvent, type Observer } from 'xstate';
import { dispatchPacket, type HandlerProblem, type HandlerTable } from '../handlers/dispatch.js';
import type { HandlerContext, OwnerPort, SessionState } from '../handlers/handler-types.js';
import { decodePacket } from '../protocol/header.js';
import type { ServerTransport } from '../ports/transport/transport.js';
import { keyCacheConfig, type ServerConfig } from '../server/server-config.js';
import { KeyCache } from '../keystore/key-cache.js';
import type { DmaPort } from '../ports/dma/dma-port.js';
import { sessionMachine, type SessionMachine } from './session-machine.js';

export interface SessionOptions {
  readonly sessionId: string;
  readonly transport: ServerTransport;
  readonly owner: OwnerPort & { lesseeGone(lessee: string): void };
  /** This client's memory, for the DMA request variants (in-process clients only). */
  readonly dma?: DmaPort;
  readonly config: ServerConfig;
  readonly handlers?: HandlerTable;
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Hand requests straight to the pipeline while the machine would only do that (default: unless inspecting). */
  readonly directLane?: boolean;
  /** Told about handler bugs (a throw, an over-long answer); the client got ABORTED. */
  readonly onProblem?: (problem: HandlerProblem) => void;
}

/**
 * A per-client server actor: its machine, its per-client state (client id, and
 * later its local key cache) and its handler pipeline. Requests of one client are
 * handled strictly in order; different clients' sessions run concurrently and
 * meet only in the owner's mailbox.
 */
export class Session {
  readonly actor: Actor<SessionMachine>;
  readonly state: SessionState;
  private readonly requests$ = new Subject<Uint8Array>();
  private readonly subs: Subscription[] = [];
  private readonly ctx: HandlerContext;
  /** Resolves when the session has closed. */
  readonly closed: Promise<string>;
  private resolveClosed!: (reason: string) => void;
  private closeReason = 'closed';

  private readonly directLane: boolean;

  constructor(private readonly options: SessionOptions) {
    this.directLane = options.directLane ?? !options.inspect;
    this.state = { sessionId: options.sessionId, clientId: 0, closing: false, localCache: new KeyCache(keyCacheConfig(options.config), options.sessionId) };
    this.ctx = { session: this.state, owner: options.owner, config: options.config, ...(options.dma ? { dma: options.dma } : {}) };
    this.closed = new Promise((r) => (this.resolveClosed = r));
    const machine = sessionMachine.provide({
      actions: {
        handleRequest: ({ event }) => {
          if (event.type === 'request') this.requests$.next(event.packet);
        },
        releaseOwnerState: () => {
          this.requests$.complete();
          options.owner.lesseeGone(options.sessionId);
        },
        closeTransport: () => {
          options.transport.close(this.closeReason);
          this.resolveClosed(this.closeReason);
        },
      },
    });
    this.actor = createActor(machine, {
      input: { sessionId: options.sessionId },
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.actor.start();
    this.subs.push(this.requests$.pipe(concatMap((p) => this.handle(p))).subscribe());
    this.subs.push(
      options.transport.packets$.subscribe({
        next: (packet) => this.receive(packet),
        complete: () => this.end(options.transport.closeReason ?? 'peer disconnected'),
        error: (e: unknown) => this.end(`transport error: ${String(e)}`),
      }),
    );
  }

  /**
   * In `anonymous` and `identified` the machine's answer to a request is a
   * targetless transition whose only action is `handleRequest`; with the direct
   * lane on, the session does that itself and spares xstate an identical snapshot.
   */
  private receive(packet: Uint8Array): void {
    if (this.directLane && this.actor.getSnapshot().status === 'active') this.requests$.next(packet);
    else this.actor.send({ type: 'request', packet });
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  get isClosed(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /**
   * Ends the session (server shutdown, bad framing, peer gone); revokes its lease.
   * Requests still queued in the pipeline are dropped; one already at the owner
   * completes there, but its answer is not sent.
   */
  end(reason: string): void {
    if (this.isClosed) return;
    this.closeReason = reason;
    this.actor.send({ type: 'transport.closed', reason });
    for (const s of this.subs) s.unsubscribe();
  }

  /** One request at a time (concatMap): the next is handled only after this one's answer was handed over. */
  private async handle(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return;
    try {
      await this.serve(bytes);
    } catch (e) {
      // A bug, not the client's fault; ending the connection beats leaving it waiting for an answer.
      this.end(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async serve(bytes: Uint8Array): Promise<void> {
    const packet = decodePacket(bytes);
    if (!packet) {
      // Shorter than a header: wolfHSM treats this as fatal; we drop only this connection.
      this.end('packet shorter than the 8-byte header');
      return;
    }
    const before = this.state.clientId;
    const response = await dispatchPacket(this.ctx, packet, this.options.handlers, this.options.onProblem);
    if (this.isClosed) return;
    this.options.transport.send(response);
    if (this.state.clientId !== before || this.state.closing) {
      if (this.state.closing) this.closeReason = 'COMM CLOSE';
      this.actor.send({ type: 'session.changed', clientId: this.state.clientId, closing: this.state.closing });
    }
  }
}

import type { InspectionEvent, Observer } from 'xstate';
import { WhError } from '../errors.js';
import { NvmFlash } from '../nvm/nvm-flash.js';
import { Nvm } from '../nvm/nvm.js';
import { ObservedNvm } from '../nvm/nvm-observed.js';
import { isDurableFlash } from '../ports/flash/durable-flash.js';
import { NvmProxy, type LockMode } from '../actors/nvm-proxy.js';
import { Owner, type OwnerClient } from '../actors/owner.js';
import { Session } from '../actors/session.js';
import type { HandlerTable } from '../handlers/dispatch.js';
import type { OwnerPort } from '../handlers/handler-types.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { createMemoryLink } from '../ports/transport/memory-transport.js';
import type { ClientTransport, ServerTransport } from '../ports/transport/transport.js';
import { keyCacheConfig, serverConfig, type ServerConfig } from './server-config.js';
import type { DmaPort } from '../ports/dma/dma-port.js';

export interface HsmServerOptions {
  /** The flash behind the NVM store (two partitions of `partitionSize()` bytes). */
  readonly flash: FlashPort;
  readonly config?: Partial<ServerConfig>;
  /** 'lease' (default): the lock API is a lease from the owner. 'noop': single-client, no locking. */
  readonly lock?: LockMode;
  /** Observes every actor's events (xstate inspection protocol). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Owner and session direct lanes for plain ops and requests (default: on unless `inspect` is set); see Owner.call. */
  readonly directLane?: boolean;
  /** Server RNG for CACHE_RANDOM (default node:crypto); tests pass a deterministic one. */
  readonly random?: (n: number) => Uint8Array;
  /**
   * Wraps the owner port each session's handlers talk to (telemetry, fault or
   * delay injection; the tests use it to choose interleavings at the owner
   * boundary). Lease revocation on disconnect always reaches the owner directly.
   */
  readonly interceptOwner?: (port: OwnerPort, sessionId: string) => OwnerPort;
  /** A lease (lock API, DMA transfers) held longer than this is revoked (default 30 s; 0: never). */
  readonly leaseTimeoutMs?: number;
  /** Replace group handlers (tests use this to plant deliberately broken ones). */
  readonly handlers?: HandlerTable;
}

export class HsmServerError extends Error {
  constructor(
    message: string,
    readonly rc: number,
  ) {
    super(message);
    this.name = 'HsmServerError';
  }
}

/**
 * One owner actor for the shared state plus one session actor per connected
 * client. Embed it, attach transports (memory, TCP, ...) and talk wolfHSM packets.
 */
export class HsmServer {
  readonly owner: Owner;
  readonly config: ServerConfig;
  private readonly sessions = new Map<string, Session>();
  private nextSession = 1;
  private stopped = false;
  private closing: Promise<void> | null = null;
  private readonly nvm: Nvm;

  constructor(private readonly options: HsmServerOptions) {
    this.config = serverConfig(options.config);
    const flash = options.flash;
    const durability = isDurableFlash(flash) ? flash : null;
    // Over a write-behind flash the owner must know what each operation observed.
    const nvm = durability ? new ObservedNvm(() => durability.writeSeq) : new Nvm();
    this.nvm = nvm;
    const rc = nvm.init(new NvmFlash(options.flash, { objectCount: this.config.nvmObjectCount }));
    if (rc !== WhError.OK) throw new HsmServerError(`NVM init failed (${rc})`, rc);
    this.owner = new Owner({
      nvm,
      name: 'nvm-owner',
      ...(durability ? { durability } : {}),
      keyCache: keyCacheConfig(this.config),
      keyFeatures: this.config.keyFeatures,
      ...(options.random ? { random: options.random } : {}),
      ...(options.inspect ? { inspect: options.inspect } : {}),
      ...(options.directLane !== undefined ? { directLane: options.directLane } : {}),
      ...(options.leaseTimeoutMs !== undefined ? { leaseTimeoutMs: options.leaseTimeoutMs } : {}),
    });
  }

  /** Starts a session actor for a new connection (`dma`: the client's memory, for DMA requests). */
  attach(transport: ServerTransport, opts: { dma?: DmaPort } = {}): Session {
    if (this.stopped) {
      transport.close();
      throw new HsmServerError('server stopped', WhError.NOTREADY);
    }
    const sessionId = `session-${this.nextSession++}`;
    const client = this.owner.connect(sessionId);
    const bound = sessionPort(client);
    const port = this.options.interceptOwner ? this.options.interceptOwner(bound, sessionId) : bound;
    // Revocation on disconnect goes straight to the owner, past any interception.
    const owner = { call: port.call.bind(port), acquireLease: port.acquireLease.bind(port), releaseLease: port.releaseLease.bind(port), lesseeGone: () => client.close() };
    const session = new Session({
      sessionId,
      transport,
      owner,
      config: this.config,
      ...(opts.dma ? { dma: opts.dma } : {}),
      ...(this.options.handlers ? { handlers: this.options.handlers } : {}),
      ...(this.options.inspect ? { inspect: this.options.inspect } : {}),
      ...(this.options.directLane !== undefined ? { directLane: this.options.directLane } : {}),
    });
    this.sessions.set(sessionId, session);
    void session.closed.then(() => this.sessions.delete(sessionId));
    return session;
  }

  /** An in-process connection: the client end of a memory link. */
  connectMemory(opts: { dma?: DmaPort } = {}): { client: ClientTransport; session: Session } {
    const link = createMemoryLink();
    return { client: link.client, session: this.attach(link.server, opts) };
  }

  /** NVM access for custom server code, with the wolfHSM lock API bound to `lessee`. */
  nvmFor(lessee: string): NvmProxy {
    return new NvmProxy(this.owner, lessee, this.options.lock ?? 'lease');
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Ends every session, then the owner; everything pending is answered ABORTED. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const s of [...this.sessions.values()]) s.end('server stopping');
    this.owner.stop();
  }

  /**
   * Stops accepting, ends every session (their queued requests are dropped, what
   * waits at the owner is answered ABORTED), waits until every write already made is
   * durable, then closes the NVM and its flash. Idempotent.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      this.stop();
      const flash = this.options.flash;
      this.nvm.cleanup();
      if (isDurableFlash(flash)) await flash.close();
    })());
  }
}

/**
 * A session's owner port: its own capability, whatever lessee a handler names. A
 * handler (a custom one included) cannot act as, or release the lease of, anyone else.
 */
function sessionPort(client: OwnerClient): OwnerPort {
  return {
    call: (_lessee, kind, args) => client.call(kind, args),
    acquireLease: () => client.acquireLease(),
    releaseLease: () => client.releaseLease(),
  };
}

export function createHsmServer(options: HsmServerOptions): HsmServer {
  return new HsmServer(options);
}

import type { InspectionEvent, Observer } from 'xstate';
import { redactingInspector } from '../actors/redact-inspection.js';
import { WhError } from '../errors.js';
import { NvmFlash, type NvmFlashConfig } from '../nvm/nvm-flash.js';
import { Feed } from '../actors/owner-feed.js';
import type { OwnerFeed } from '../actors/owner.js';
import type { HandlerProblem } from '../handlers/dispatch.js';
import { Nvm } from '../nvm/nvm.js';
import { ObservedNvm } from '../nvm/nvm-observed.js';
import { isDurableFlash } from '../ports/flash/durable-flash.js';
import { NvmProxy, type LockMode } from '../actors/nvm-proxy.js';
import { Owner, type OwnerClient } from '../actors/owner.js';
import type { ExtraOwnerOps } from '../actors/owner-ops.js';
import { Session } from '../actors/session.js';
import { DEFAULT_HANDLERS, type HandlerTable } from '../handlers/dispatch.js';
import { checkCustomCallbackTable, customHandler, type CustomCallbackTable } from '../handlers/custom.js';
import { Group } from '../protocol/groups.js';
import type { CryptoEngine } from '../crypto/engine.js';
import { PoolEngine } from '../crypto/pool-engine.js';
import { cryptoHandler } from '../handlers/crypto/crypto-handler.js';
import { certHandler } from '../handlers/cert/cert-handler.js';
import { sheHandler } from '../handlers/she/she-handler.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../handlers/crypto/families/index.js';
import { handleKey } from '../handlers/key.js';
import { keyGroupHandler } from '../handlers/key-group.js';
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
  /** Flash store options: wolfHSM's per-object CRC16, formatting a store that does not boot (default: refuse), the compaction step size. */
  readonly nvm?: Pick<NvmFlashConfig, 'crc' | 'formatIfInvalid' | 'compactionStepBytes'>;
  /** A lease (lock API, DMA transfers) held longer than this is revoked (default 30 s; 0: never). */
  readonly leaseTimeoutMs?: number;
  /** Replace group handlers (tests use this to plant deliberately broken ones). */
  readonly handlers?: HandlerTable;
  /** Owner operations beyond the production table: actorhsm/testing's `testingOwnerOps`, for deliberately broken handlers. */
  readonly extraOps?: ExtraOwnerOps;
  /** Where crypto work runs (default: a worker pool for heavy jobs, inline for light ones). Closed with the server. */
  readonly cryptoEngine?: CryptoEngine;
  /** Custom callbacks by slot (wh_Server_RegisterCustomCb), each below config.customCbCount; empty slots answer NOHANDLER. */
  readonly customCallbacks?: CustomCallbackTable;
  /** Told after every handled request: its kind (group | action) and handling time in seconds (metrics). */
  readonly onRequest?: (kind: number, seconds: number) => void;
}

/** What a server reports beside its answers (HsmServer.events$). */
export type ServerEvent =
  | { readonly type: 'session.opened'; readonly sessionId: string }
  | { readonly type: 'session.closed'; readonly sessionId: string; readonly reason: string }
  | { readonly type: 'lease.granted'; readonly lessee: string; readonly grant: number; readonly waiting: number }
  | { readonly type: 'lease.released'; readonly lessee: string; readonly grant: number }
  | { readonly type: 'lease.revoked'; readonly lessee: string; readonly grant: number; readonly reason: 'gone' | 'deadline' | 'stop' }
  | { readonly type: 'failure'; readonly where: 'handler' | 'owner' | 'session' | 'ops$ subscriber'; readonly message: string; readonly error: unknown };

export interface ServerMetrics {
  readonly sessions: { readonly active: number; readonly opened: number; readonly closed: number };
  /** `busySeconds`: time the owner spent executing operations, once `measureOwnerBusyTime()` was called (else 0). */
  readonly owner: { readonly state: string; readonly waiting: number; readonly leasesGranted: number; readonly opsExecuted: number; readonly busySeconds: number };
  /** Lease acquisitions by sessions (lock API, DMA, compactions) and the time they waited in total. */
  readonly leaseWaits: { readonly count: number; readonly seconds: number };
  readonly leasesRevoked: { readonly gone: number; readonly deadline: number; readonly stop: number };
  readonly failures: { readonly handler: number; readonly owner: number; readonly session: number; readonly 'ops$ subscriber': number; readonly listener: number; readonly total: number };
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
  private readonly handlers: HandlerTable;
  /** The embedder's inspector behind a redactor: no key bytes or payloads leave through it. */
  private readonly inspect: ((event: InspectionEvent) => void) | undefined;
  readonly cryptoEngine: CryptoEngine;

  constructor(private readonly options: HsmServerOptions) {
    this.config = serverConfig(options.config);
    this.inspect = options.inspect ? redactingInspector(options.inspect) : undefined;
    checkCustomCallbackTable(options.customCallbacks ?? {}, this.config.customCbCount);
    // CUSTOM is always served (an empty table answers NOHANDLER), as the C client's registration check expects.
    this.cryptoEngine = options.cryptoEngine ?? new PoolEngine();
    const table: HandlerTable = {
      [Group.CUSTOM]: customHandler(options.customCallbacks ?? {}),
      [Group.CRYPTO]: cryptoHandler({ engine: this.cryptoEngine, families: DEFAULT_CRYPTO_FAMILIES }),
      [Group.SHE]: sheHandler(this.cryptoEngine),
      [Group.CERT]: certHandler(this.cryptoEngine),
      ...(options.handlers ?? DEFAULT_HANDLERS),
    };
    // The standard KEY handler gains its wrap actions here, where the crypto engine is known.
    if (table[Group.KEY] === handleKey) table[Group.KEY] = keyGroupHandler(this.cryptoEngine);
    this.handlers = table;
    const flash = options.flash;
    const durability = isDurableFlash(flash) ? flash : null;
    // Over a write-behind flash the owner must know what each operation observed.
    const nvm = durability ? new ObservedNvm(() => durability.writeSeq) : new Nvm();
    this.nvm = nvm;
    const backend = new NvmFlash(options.flash, { objectCount: this.config.nvmObjectCount, ...options.nvm });
    const rc = nvm.init(backend);
    if (rc !== WhError.OK) throw new HsmServerError(`NVM init failed (${rc})${backend.initProblem ? `: ${backend.initProblem}` : ''}`, rc);
    this.owner = new Owner({
      nvm,
      name: 'nvm-owner',
      ...(durability ? { durability } : {}),
      keyCache: keyCacheConfig(this.config),
      keyFeatures: this.config.keyFeatures,
      ...(options.random ? { random: options.random } : {}),
      ...(options.extraOps ? { extraOps: options.extraOps } : {}),
      ...(this.inspect ? { inspect: this.inspect } : {}),
      ...(options.directLane !== undefined ? { directLane: options.directLane } : {}),
      ...(options.leaseTimeoutMs !== undefined ? { leaseTimeoutMs: options.leaseTimeoutMs } : {}),
    });
    this.owner.notices$.subscribe((n) => {
      if (n.type === 'op.failed') this.failure('owner', `operation ${n.kind} of ${n.lessee} threw`, n.error);
      else if (n.type === 'subscriber.failed') this.failure('ops$ subscriber', 'a subscriber threw', n.error);
      else {
        if (n.type === 'lease.revoked') this.counts.revoked[n.reason]++;
        this.events.next(n);
      }
    });
  }

  private readonly events = new Feed<ServerEvent>(() => this.counts.failures.listener++);
  private readonly counts = {
    leaseWaits: 0,
    leaseWaitMs: 0,
    opened: 0,
    closed: 0,
    revoked: { gone: 0, deadline: 0, stop: 0 },
    failures: { handler: 0, owner: 0, session: 0, 'ops$ subscriber': 0, listener: 0 },
  };

  private failure(where: 'handler' | 'owner' | 'session' | 'ops$ subscriber', message: string, error: unknown): void {
    this.counts.failures[where]++;
    this.events.next({ type: 'failure', where, message: `${message}: ${error instanceof Error ? error.message : String(error)}`, error });
  }

  /** Connections, lease changes and contained failures, as they happen (a throwing listener is contained). */
  get events$(): OwnerFeed<ServerEvent> {
    return this.events;
  }

  /** A snapshot of the server's counters and the owner's queue. */
  /** Turns on the owner's busy-time measurement (`metrics().owner.busySeconds`; 0 until then). */
  measureOwnerBusyTime(): void {
    this.owner.measureBusyTime();
  }

  metrics(): ServerMetrics {
    const o = this.owner.status;
    const f = this.counts.failures;
    return {
      sessions: { active: this.sessions.size, opened: this.counts.opened, closed: this.counts.closed },
      owner: { state: o.state, waiting: o.waiting, leasesGranted: o.leasesGranted, opsExecuted: this.owner.opsExecuted, busySeconds: this.owner.busyMs / 1000 },
      leaseWaits: { count: this.counts.leaseWaits, seconds: this.counts.leaseWaitMs / 1000 },
      leasesRevoked: { ...this.counts.revoked },
      failures: { ...f, total: f.handler + f.owner + f.session + f['ops$ subscriber'] + f.listener },
    };
  }

  /** Starts a session actor for a new connection (`dma`: the client's memory, for DMA requests). */
  attach(transport: ServerTransport, opts: { dma?: DmaPort } = {}): Session {
    if (this.stopped) {
      transport.close();
      throw new HsmServerError('server stopped', WhError.NOTREADY);
    }
    const sessionId = `session-${this.nextSession++}`;
    const client = this.owner.connect(sessionId);
    const bound = sessionPort(client, (ms) => {
      this.counts.leaseWaits++;
      this.counts.leaseWaitMs += ms;
    });
    const port = this.options.interceptOwner ? this.options.interceptOwner(bound, sessionId) : bound;
    // Revocation on disconnect goes straight to the owner, past any interception.
    const owner = { call: port.call.bind(port), acquireLease: port.acquireLease.bind(port), releaseLease: port.releaseLease.bind(port), lesseeGone: () => client.close() };
    const session = new Session({
      sessionId,
      transport,
      owner,
      config: this.config,
      ...(opts.dma ? { dma: opts.dma } : {}),
      handlers: this.handlers,
      ...(this.inspect ? { inspect: this.inspect } : {}),
      ...(this.options.directLane !== undefined ? { directLane: this.options.directLane } : {}),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
      onProblem: (p: HandlerProblem) =>
        this.failure('handler', `${sessionId}: group 0x${p.group.toString(16)} action ${p.action} ${p.kind === 'threw' ? 'threw' : `answered ${p.size} bytes (limit ${p.limit})`}`, p.kind === 'threw' ? p.error : 'answer too long'),
    });
    this.sessions.set(sessionId, session);
    this.counts.opened++;
    this.events.next({ type: 'session.opened', sessionId });
    void session.closed.then((reason) => {
      this.sessions.delete(sessionId);
      this.counts.closed++;
      // A session ends with 'internal error' when its own pipeline failed (a throwing transport, say).
      if (reason.startsWith('internal error')) this.failure('session', `${sessionId} ended`, reason);
      this.events.next({ type: 'session.closed', sessionId, reason });
    });
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
    void this.cryptoEngine.close();
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
      await this.cryptoEngine.close();
      if (isDurableFlash(flash)) await flash.close();
    })());
  }
}

/**
 * A session's owner port: its own capability, whatever lessee a handler names. A
 * handler (a custom one included) cannot act as, or release the lease of, anyone else.
 */
/** A session's owner port; lease acquisitions report how long they waited. */
function sessionPort(client: OwnerClient, waited: (ms: number) => void): OwnerPort {
  return {
    call: (_lessee, kind, args) => client.call(kind, args),
    acquireLease: async () => {
      const t0 = performance.now();
      const rc = await client.acquireLease();
      waited(performance.now() - t0);
      return rc;
    },
    releaseLease: () => client.releaseLease(),
  };
}

export function createHsmServer(options: HsmServerOptions): HsmServer {
  return new HsmServer(options);
}

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HEADER_SIZE } from '../protocol/header.js';
import { DEFAULT_TCP_HOST, DEFAULT_TCP_PORT } from '../ports/transport/tcp-transport.js';
import { tcpServerTransport, type ConnectionFlow, type TcpServerTransport } from '../ports/transport/tcp-server-transport.js';
import type { HsmServer } from './hsm-server.js';
import { LogLimiter, type LogLimiterOptions } from './log-limiter.js';

/**
 * Idle connections are closed after an hour by default. wolfHSM clients connect
 * once and keep the connection for their lifetime, using it now and then, and the
 * C client cannot reconnect by itself, so the default must not cut quiet but
 * healthy clients; an hour still frees the slots of abandoned connections (dead
 * peers are found sooner by TCP keep-alive). Lower it where clients are not trusted.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 3_600_000;
/** A frame must be whole this long after its first byte. */
export const DEFAULT_PARTIAL_FRAME_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CLIENTS = 15;

export interface TcpListenOptions {
  readonly host?: string;
  readonly port?: number;
  /** Connections served at once; further ones are closed at accept (default 15, wolfHSM's client id range). */
  readonly maxClients?: number;
  /** A frame not whole this long after its first byte closes its connection (default 10 s; 0: never). */
  readonly partialFrameTimeoutMs?: number;
  /** A connection with no request for this long is closed (default 1 h; 0: never). Not counted while a request is served. */
  readonly idleTimeoutMs?: number;
  /** Received bytes one connection may hold before reading from it pauses (default two largest frames). */
  readonly maxBufferedBytes?: number;
  readonly log?: (line: string) => void;
  /** Per-kind rate limit of connection log lines (default burst 20, then 5 per second). */
  readonly logRate?: LogLimiterOptions;
}

/** One served connection, as `TcpListener.connectionFlows` reports it. */
export interface ConnectionReport extends ConnectionFlow {
  readonly peer: string;
  readonly sessionId: string;
}

export interface TcpListener {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  /** Buffering and backpressure state of every served connection. */
  connectionFlows(): ConnectionReport[];
  /** Stops accepting and closes every connection (their sessions end, leases are revoked). */
  close(): Promise<void>;
}

interface Served {
  readonly peer: string;
  readonly sessionId: string;
  readonly transport: TcpServerTransport;
}

/**
 * Serves an HsmServer over wolfHSM's POSIX TCP framing. Every connection gets its
 * own session actor; a bad frame, a stall, idleness or a vanished peer ends that
 * connection only, and one log line says which.
 */
export function listenTcp(server: HsmServer, opts: TcpListenOptions = {}): Promise<TcpListener> {
  const limiter = new LogLimiter(opts.log ?? (() => {}), opts.logRate);
  const max = opts.maxClients ?? DEFAULT_MAX_CLIENTS;
  const served = new Map<Socket, Served>();
  const net: Server = createServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (served.size >= max) {
      limiter.line('refused', `refused ${peer}: over the cap of ${max} clients, closed at accept`);
      socket.destroy();
      return;
    }
    const transport = tcpServerTransport(socket, {
      mtu: HEADER_SIZE + server.config.dataLen,
      partialFrameTimeoutMs: opts.partialFrameTimeoutMs ?? DEFAULT_PARTIAL_FRAME_TIMEOUT_MS,
      idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      ...(opts.maxBufferedBytes !== undefined ? { maxBufferedBytes: opts.maxBufferedBytes } : {}),
    });
    try {
      const session = server.attach(transport);
      served.set(socket, { peer, sessionId: session.sessionId, transport });
      limiter.line('connected', `connected ${peer} as ${session.sessionId}`);
      void session.closed.then((reason) => {
        served.delete(socket);
        limiter.line('closed', `closed ${peer} (${session.sessionId}): ${transport.closeReason ?? reason}`);
      });
    } catch (e) {
      transport.close('refused');
      limiter.line('refused', `refused ${peer}: ${(e as Error).message}`);
    }
  });
  // Accept failures (EMFILE under a storm) must not take the server down.
  const onAcceptError = (e: Error) => limiter.line('error', `accept failed: ${e.message}`);
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    net.listen(opts.port ?? DEFAULT_TCP_PORT, opts.host ?? DEFAULT_TCP_HOST, () => {
      net.off('error', reject);
      net.on('error', onAcceptError);
      const addr = net.address() as AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        get connections() {
          return served.size;
        },
        connectionFlows: () => [...served.values()].map((s) => ({ peer: s.peer, sessionId: s.sessionId, ...s.transport.flow })),
        close: () =>
          new Promise<void>((done) => {
            for (const s of served.values()) s.transport.close('server stopping');
            net.close(() => {
              limiter.flush();
              done();
            });
          }),
      });
    });
  });
}

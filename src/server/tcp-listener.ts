import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HEADER_SIZE } from '../protocol/header.js';
import { DEFAULT_TCP_HOST, DEFAULT_TCP_PORT, tcpServerTransport } from '../ports/transport/tcp-transport.js';
import type { HsmServer } from './hsm-server.js';

export interface TcpListenOptions {
  readonly host?: string;
  readonly port?: number;
  /** Connections served at once; further ones are closed at accept (default 15, wolfHSM's client id range). */
  readonly maxClients?: number;
  readonly partialFrameTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface TcpListener {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  /** Stops accepting and closes every connection (their sessions end, leases are revoked). */
  close(): Promise<void>;
}

/**
 * Serves an HsmServer over wolfHSM's POSIX TCP framing. Every connection gets its
 * own session actor; a bad frame or a vanished peer ends that connection only.
 */
export function listenTcp(server: HsmServer, opts: TcpListenOptions = {}): Promise<TcpListener> {
  const log = opts.log ?? (() => {});
  const max = opts.maxClients ?? 15;
  const sockets = new Set<Socket>();
  const net: Server = createServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (sockets.size >= max) {
      log(`refused ${peer}: ${max} clients already connected`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const transport = tcpServerTransport(socket, {
      mtu: HEADER_SIZE + server.config.dataLen,
      partialFrameTimeoutMs: opts.partialFrameTimeoutMs ?? 10_000,
      onProtocolError: (reason) => log(`closing ${peer}: ${reason}`),
    });
    try {
      const session = server.attach(transport);
      log(`connected ${peer} as ${session.sessionId}`);
      void session.closed.then((reason) => {
        sockets.delete(socket);
        log(`disconnected ${peer} (${session.sessionId}): ${reason}`);
      });
    } catch (e) {
      sockets.delete(socket);
      socket.destroy();
      log(`refused ${peer}: ${(e as Error).message}`);
    }
  });
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    net.listen(opts.port ?? DEFAULT_TCP_PORT, opts.host ?? DEFAULT_TCP_HOST, () => {
      net.off('error', reject);
      const addr = net.address() as AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        get connections() {
          return sockets.size;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            net.close(() => done());
          }),
      });
    });
  });
}

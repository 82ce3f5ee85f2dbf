import { connect as netConnect } from 'node:net';
import { FrameDecoder, encodeFrame } from '../../protocol/tcp-framing.js';
import { TransportClosedError } from './memory-transport.js';
import type { ClientTransport } from './transport.js';

export { tcpServerTransport, type TcpServerTransport, type TcpServerTransportOptions, type ConnectionFlow } from './tcp-server-transport.js';

export const DEFAULT_TCP_PORT = 23456;
export const DEFAULT_TCP_HOST = '127.0.0.1';

export interface TcpClientOptions {
  readonly host?: string;
  readonly port?: number;
  readonly mtu?: number;
  /** Give up connecting after this many ms (default 5000; 0: no limit). */
  readonly connectTimeoutMs?: number;
  /**
   * A request whose answer takes longer fails and closes the connection (default 0: no
   * limit). The protocol is lockstep, so a late answer could not be told from the next one.
   */
  readonly requestTimeoutMs?: number;
}

/** Raised when the server does not answer in time (connect or request). */
export class TransportTimeoutError extends TransportClosedError {
  constructor(message: string) {
    super(message);
    this.name = 'TransportTimeoutError';
  }
}

/** A client end over TCP: one outstanding request, as the wolfHSM client. */
export function connectTcp(opts: TcpClientOptions = {}): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const host = opts.host ?? DEFAULT_TCP_HOST;
    const port = opts.port ?? DEFAULT_TCP_PORT;
    const socket = netConnect({ host, port });
    const decoder = new FrameDecoder(opts.mtu ?? 8 + 8192);
    let pending: { resolve: (p: Uint8Array) => void; reject: (e: Error) => void; timer: NodeJS.Timeout | null } | null = null;
    let closed = false;
    const connectMs = opts.connectTimeoutMs ?? 5000;
    const connectTimer =
      connectMs > 0
        ? setTimeout(() => {
            socket.destroy();
            reject(new TransportTimeoutError(`no connection to ${host}:${port} within ${connectMs} ms`));
          }, connectMs)
        : null;
    const fail = (e: Error) => {
      closed = true;
      const p = pending;
      pending = null;
      if (p?.timer) clearTimeout(p.timer);
      p?.reject(e);
    };
    socket.setNoDelay(true);
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
        if ('error' in ev) {
          socket.destroy();
          return fail(new TransportClosedError(ev.error));
        }
        const p = pending;
        pending = null;
        if (p?.timer) clearTimeout(p.timer);
        p?.resolve(ev.frame);
      }
    });
    socket.on('close', () => fail(new TransportClosedError(`the server at ${host}:${port} closed the connection`)));
    socket.once('error', () => connectTimer && clearTimeout(connectTimer));
    socket.once('connect', () => {
      if (connectTimer) clearTimeout(connectTimer);
      socket.off('error', reject);
      socket.on('error', (e) => fail(new TransportClosedError(e.message)));
      resolve({
        request(packet) {
          if (closed) return Promise.reject(new TransportClosedError());
          if (pending) return Promise.reject(new TransportClosedError('a request is already pending'));
          return new Promise((res, rej) => {
            const ms = opts.requestTimeoutMs ?? 0;
            const timer =
              ms > 0
                ? setTimeout(() => {
                    fail(new TransportTimeoutError(`no answer from ${host}:${port} within ${ms} ms`));
                    socket.destroy();
                  }, ms)
                : null;
            pending = { resolve: res, reject: rej, timer };
            socket.write(encodeFrame(packet));
          });
        },
        close() {
          closed = true;
          socket.end();
        },
      });
    });
  });
}

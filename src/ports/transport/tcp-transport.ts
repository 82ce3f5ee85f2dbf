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
}

/** A client end over TCP: one outstanding request, as the wolfHSM client. */
export function connectTcp(opts: TcpClientOptions = {}): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: opts.host ?? DEFAULT_TCP_HOST, port: opts.port ?? DEFAULT_TCP_PORT });
    const decoder = new FrameDecoder(opts.mtu ?? 8 + 8192);
    let pending: { resolve: (p: Uint8Array) => void; reject: (e: Error) => void } | null = null;
    let closed = false;
    const fail = (e: Error) => {
      closed = true;
      const p = pending;
      pending = null;
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
        p?.resolve(ev.frame);
      }
    });
    socket.on('close', () => fail(new TransportClosedError()));
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', (e) => fail(new TransportClosedError(e.message)));
      resolve({
        request(packet) {
          if (closed) return Promise.reject(new TransportClosedError());
          if (pending) return Promise.reject(new TransportClosedError('a request is already pending'));
          return new Promise((res, rej) => {
            pending = { resolve: res, reject: rej };
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

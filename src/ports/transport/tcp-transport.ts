import { connect as netConnect, type Socket } from 'node:net';
import { Subject } from 'rxjs';
import { FrameDecoder, encodeFrame } from '../../protocol/tcp-framing.js';
import { TransportClosedError } from './memory-transport.js';
import type { ClientTransport, ServerTransport } from './transport.js';

export const DEFAULT_TCP_PORT = 23456;
export const DEFAULT_TCP_HOST = '127.0.0.1';

export interface TcpServerTransportOptions {
  /** Largest packet accepted: header + DATA_LEN. */
  readonly mtu: number;
  /** A frame that starts but does not finish within this time closes the connection (0: never). */
  readonly partialFrameTimeoutMs?: number;
  /** Told why the connection ended (bad framing, timeout, socket error). */
  readonly onProtocolError?: (reason: string) => void;
}

/**
 * The server end of one TCP connection as a ServerTransport: frames in as a
 * packet stream (rxjs), frames out. Bad framing or a stalled partial frame ends
 * this connection only.
 */
export function tcpServerTransport(socket: Socket, opts: TcpServerTransportOptions): ServerTransport {
  const packets = new Subject<Uint8Array>();
  const decoder = new FrameDecoder(opts.mtu);
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const finish = (reason: string | null) => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    if (reason) opts.onProtocolError?.(reason);
    socket.destroy();
    packets.complete();
  };
  const armTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const ms = opts.partialFrameTimeoutMs ?? 0;
    if (ms > 0 && decoder.midFrame) timer = setTimeout(() => finish(`partial frame not completed within ${ms} ms`), ms);
  };

  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    for (const ev of decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
      if ('error' in ev) return finish(ev.error);
      packets.next(ev.frame);
    }
    armTimer();
  });
  socket.on('end', () => finish(null));
  socket.on('close', () => finish(null));
  socket.on('error', (e) => finish(`socket error: ${e.message}`));

  return {
    packets$: packets.asObservable(),
    send(packet) {
      if (!closed && socket.writable) socket.write(encodeFrame(packet));
    },
    close: () => finish(null),
  };
}

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

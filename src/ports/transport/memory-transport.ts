import { Subject } from 'rxjs';
import type { ClientTransport, ServerTransport } from './transport.js';

/** Raised on the client side when the server ended the connection or a request is already pending. */
export class TransportClosedError extends Error {
  constructor(message = 'transport closed') {
    super(message);
    this.name = 'TransportClosedError';
  }
}

/**
 * An in-process link (wolfHSM's memory transport, minus shared buffers): the
 * embedding and test transport. Strict request/response lockstep: the client
 * has at most one request outstanding, so the server sees the next packet only
 * after it has sent the answer to the previous one.
 */
export function createMemoryLink(): { server: ServerTransport; client: ClientTransport } {
  const toServer = new Subject<Uint8Array>();
  let pending: { resolve: (p: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  let closed = false;
  let reason: string | undefined;

  const shut = (why: string) => {
    if (closed) return;
    closed = true;
    reason = why;
    toServer.complete();
    const p = pending;
    pending = null;
    p?.reject(new TransportClosedError());
  };

  const server: ServerTransport = {
    packets$: toServer.asObservable(),
    send(packet) {
      const p = pending;
      pending = null;
      p?.resolve(packet);
    },
    close: (why = 'closed by server') => shut(why),
    get closeReason() {
      return reason;
    },
  };

  const client: ClientTransport = {
    request(packet) {
      if (closed) return Promise.reject(new TransportClosedError());
      if (pending) return Promise.reject(new TransportClosedError('a request is already pending'));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        toServer.next(packet);
      });
    },
    close: () => shut('peer disconnected'),
  };
  return { server, client };
}

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
 * embedding and test transport. Strict request/response lockstep.
 */
export function createMemoryLink(): { server: ServerTransport; client: ClientTransport } {
  const toServer = new Subject<Uint8Array>();
  let pending: { resolve: (p: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  let closed = false;

  const shut = () => {
    if (closed) return;
    closed = true;
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
    close: shut,
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
    close: shut,
  };
  return { server, client };
}

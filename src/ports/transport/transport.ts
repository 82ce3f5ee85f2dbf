import type { Observable } from 'rxjs';

/**
 * The server's end of one client connection: whole wolfHSM packets in, whole
 * packets out.
 *
 * Lockstep, as wolfHSM's server: `packets$` emits the next request only after
 * `send` has been called with the answer to the previous one (a transport may
 * wait longer, e.g. while its socket's write buffer is full). The session answers
 * every request exactly once, in order, so `send` is also the go-ahead for the
 * next request. `packets$` completes when the connection ends.
 */
export interface ServerTransport {
  readonly packets$: Observable<Uint8Array>;
  /** Hands the answer to the current request to the transport. */
  send(packet: Uint8Array): void;
  /** Ends the connection from the server side. Idempotent: the first reason is kept. */
  close(reason?: string): void;
  /** Why the connection ended, once it has (undefined while it is open). */
  readonly closeReason?: string | undefined;
}

/** The client's end: one request at a time, as the wolfHSM client does. */
export interface ClientTransport {
  request(packet: Uint8Array): Promise<Uint8Array>;
  close(): void;
}

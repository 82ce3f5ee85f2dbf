import type { Observable } from 'rxjs';

/**
 * The server's end of one client connection: whole wolfHSM packets in, whole
 * packets out. `packets$` completes when the peer goes away.
 */
export interface ServerTransport {
  readonly packets$: Observable<Uint8Array>;
  send(packet: Uint8Array): void;
  /** Ends the connection from the server side. Idempotent. */
  close(): void;
}

/** The client's end: one request at a time, as the wolfHSM client does. */
export interface ClientTransport {
  request(packet: Uint8Array): Promise<Uint8Array>;
  close(): void;
}

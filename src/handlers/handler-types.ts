import type { OwnerOpArgs, OwnerOpKind, OwnerOpResult } from '../actors/owner-ops.js';
import type { PacketHeader } from '../protocol/header.js';
import type { ServerConfig } from '../server/server-config.js';

/** The owner as handlers see it: one message per call. */
export interface OwnerPort {
  call<K extends OwnerOpKind>(lessee: string, kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>>;
}

/** Per-client state a handler may read or change (owned by that client's session actor). */
export interface SessionState {
  readonly sessionId: string;
  /** 0 until COMM INIT, then the client's id (1..15). */
  clientId: number;
  /** Set by COMM CLOSE: the session ends after answering. */
  closing: boolean;
}

export interface HandlerContext {
  readonly session: SessionState;
  readonly owner: OwnerPort;
  readonly config: ServerConfig;
}

export interface HandlerRequest {
  readonly header: PacketHeader;
  readonly action: number;
  readonly payload: Uint8Array;
}

/**
 * A handler's answer: the response payload, or `echo` for wolfHSM's quirk where a
 * handler that never set a response size sends the request bytes back unchanged.
 */
export type HandlerReply = { readonly payload: Uint8Array } | { readonly echo: true };

export type GroupHandler = (ctx: HandlerContext, req: HandlerRequest) => Promise<HandlerReply> | HandlerReply;

export const EMPTY: HandlerReply = { payload: new Uint8Array(0) };
export const ECHO: HandlerReply = { echo: true };
export const reply = (payload: Uint8Array): HandlerReply => ({ payload });

import type { OwnerOpArgs, OwnerOpKind, OwnerOpResult } from '../actors/owner-ops.js';
import type { PacketHeader } from '../protocol/header.js';
import type { WhRc } from '../errors.js';
import type { KeyCache } from '../keystore/key-cache.js';
import type { DmaPort } from '../ports/dma/dma-port.js';
import type { ServerConfig } from '../server/server-config.js';

/** The owner as handlers see it: one message per call, or one lease around several. */
export interface OwnerPort {
  call<K extends OwnerOpKind>(lessee: string, kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>>;
  acquireLease(lessee: string): Promise<WhRc>;
  releaseLease(lessee: string): Promise<WhRc>;
}

/** Per-client state a handler may read or change (owned by that client's session actor). */
export interface SessionState {
  readonly sessionId: string;
  /** 0 until COMM INIT, then the client's id (1..15). */
  clientId: number;
  /** Set by COMM CLOSE: the session ends after answering. */
  closing: boolean;
  /** This client's own key cache (its local keys); the owner works on it inside key operations. */
  readonly localCache: KeyCache;
}

export interface HandlerContext {
  readonly session: SessionState;
  readonly owner: OwnerPort;
  readonly config: ServerConfig;
  /** Client memory for the DMA variants; absent over transports without shared memory. */
  readonly dma?: DmaPort;
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

/**
 * Runs `body` inside one owner lease for this client: every owner message it sends
 * is served with nobody else's in between, across its awaits (DMA transfers).
 * A lease that cannot be had (owner stopped) answers its code instead.
 */
export async function withLease<T>(ctx: HandlerContext, body: () => Promise<T>, refused: (rc: WhRc) => T): Promise<T> {
  const lessee = ctx.session.sessionId;
  const rc = await ctx.owner.acquireLease(lessee);
  if (rc !== 0) return refused(rc);
  try {
    return await body();
  } finally {
    await ctx.owner.releaseLease(lessee);
  }
}

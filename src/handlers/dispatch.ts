import { WhError } from '../errors.js';
import { StructWriter } from '../protocol/bytes.js';
import { Group } from '../protocol/groups.js';
import { actionOf, encodePacket, groupOf, type Packet } from '../protocol/header.js';
import { handleComm } from './comm.js';
import { handleCounter } from './counter.js';
import { EMPTY, reply, type GroupHandler, type HandlerContext, type HandlerReply } from './handler-types.js';
import { handleNvm } from './nvm.js';
import { handleKey } from './key.js';

export type HandlerTable = Partial<Record<number, GroupHandler>>;

export const DEFAULT_HANDLERS: HandlerTable = {
  [Group.COMM]: handleComm,
  [Group.NVM]: handleNvm,
  [Group.KEY]: handleKey,
  [Group.COUNTER]: handleCounter,
  // Authentication is not built in: every AUTH request gets AUTH_NOT_ENABLED.
  [Group.AUTH]: (_ctx, req) => reply(new StructWriter(4, req.header.littleEndian).i32(0, WhError.AUTH_NOT_ENABLED).bytes),
};

/** Something a handler got wrong; the request was answered ABORTED. */
export type HandlerProblem =
  | { readonly kind: 'threw'; readonly group: number; readonly action: number; readonly error: unknown }
  | { readonly kind: 'oversize'; readonly group: number; readonly action: number; readonly size: number; readonly limit: number };

/**
 * wh_Server_HandleRequestMessage for one decoded packet: route by group, and
 * always answer with the request's magic, kind, seq and aux. Unknown groups (and
 * groups not served: CRYPTO, SHE, CERT, PKCS11, ...) get a header-only answer.
 * A handler that throws, or answers more than DATA_LEN bytes, is a bug: its
 * client gets a 4-byte ABORTED (never a silently cut answer), `report` hears of
 * it, and nobody else is affected.
 */
export async function dispatchPacket(
  ctx: HandlerContext,
  packet: Packet,
  handlers: HandlerTable = DEFAULT_HANDLERS,
  report?: (problem: HandlerProblem) => void,
): Promise<Uint8Array> {
  const { header, payload } = packet;
  const group = groupOf(header.kind);
  const action = actionOf(header.kind);
  const handler = handlers[group];
  const aborted = (problem: HandlerProblem): Uint8Array => {
    try {
      report?.(problem);
    } catch {
      // A failing reporter must not cost the client its answer.
    }
    return encodePacket(header, new StructWriter(4, header.littleEndian).i32(0, WhError.ABORTED).bytes);
  };
  let answer: HandlerReply = EMPTY;
  if (handler) {
    try {
      answer = await handler(ctx, { header, action, payload });
    } catch (error) {
      return aborted({ kind: 'threw', group, action, error });
    }
  }
  const body = 'echo' in answer ? payload : answer.payload;
  const limit = ctx.config.dataLen;
  if (body.length > limit) return aborted({ kind: 'oversize', group, action, size: body.length, limit });
  return encodePacket(header, body);
}

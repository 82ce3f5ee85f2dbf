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

/**
 * wh_Server_HandleRequestMessage for one decoded packet: route by group, and
 * always answer with the request's magic, kind, seq and aux. Unknown groups (and
 * groups not served: CRYPTO, SHE, CERT, PKCS11, ...) get a header-only answer. A
 * handler that throws is a bug: its client gets ABORTED, nobody else is affected.
 */
export async function dispatchPacket(ctx: HandlerContext, packet: Packet, handlers: HandlerTable = DEFAULT_HANDLERS): Promise<Uint8Array> {
  const { header, payload } = packet;
  const handler = handlers[groupOf(header.kind)];
  let answer: HandlerReply = EMPTY;
  if (handler) {
    try {
      answer = await handler(ctx, { header, action: actionOf(header.kind), payload });
    } catch {
      answer = reply(new StructWriter(4, header.littleEndian).i32(0, WhError.ABORTED).bytes);
    }
  }
  const body = 'echo' in answer ? payload : answer.payload;
  return encodePacket(header, body.length > ctx.config.dataLen ? body.subarray(0, ctx.config.dataLen) : body);
}

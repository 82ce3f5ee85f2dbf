import { StructReader, StructWriter } from '../protocol/bytes.js';
import { CommAction } from '../protocol/groups.js';
import { EMPTY, reply, type GroupHandler } from './handler-types.js';

export const CLIENT_ID_MAX = 15;
export const INFO_SIZE = 72;
const VERSION = '01.01.01';
const BUILD = '12345678';

/** COMM group (no COMM action touches shared state, so none talks to the owner). */
export const handleComm: GroupHandler = (ctx, req) => {
  const le = req.header.littleEndian;
  switch (req.action) {
    case CommAction.INIT: {
      // Deviation: a short INIT is refused; the C server would read stale buffer bytes.
      if (req.payload.length < 4) return EMPTY;
      const clientId = new StructReader(req.payload, le).u32(0);
      // Global keys are built in, so client 0 (the global USER) is refused as well as > 15.
      if (clientId === 0 || clientId > CLIENT_ID_MAX) return EMPTY;
      ctx.session.clientId = clientId;
      return reply(new StructWriter(8, le).u32(0, clientId).u32(4, ctx.config.serverId).bytes);
    }
    case CommAction.INFO: {
      const c = ctx.config;
      const w = new StructWriter(INFO_SIZE, le)
        .u32(0, c.dataLen)
        .u32(4, c.nvmObjectCount)
        .u32(8, c.keyCacheCount)
        .u32(12, c.keyCacheBufSize)
        .u32(16, c.keyCacheBigCount)
        .u32(20, c.keyCacheBigBufSize)
        .u32(24, c.customCbCount)
        .u32(28, c.dmaAddrCount)
        .u32(32, 1)
        .u32(36, 2)
        .u32(40, 3)
        .u32(44, 4);
      w.set(48, new TextEncoder().encode(VERSION));
      w.set(57, new TextEncoder().encode(BUILD));
      return reply(w.bytes);
    }
    case CommAction.CLOSE:
      ctx.session.closing = true;
      return EMPTY;
    case CommAction.ECHO:
      return reply(req.payload.slice());
    default:
      return EMPTY;
  }
};

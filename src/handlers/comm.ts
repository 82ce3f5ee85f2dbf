import { CommAction } from '../protocol/groups.js';
import { CommInfoResponse, CommInitRequest, CommInitResponse } from '../protocol/messages/comm.js';
import { EMPTY, reply, type GroupHandler } from './handler-types.js';

export const CLIENT_ID_MAX = 15;
const VERSION = new TextEncoder().encode('01.01.01\0');
const BUILD = new TextEncoder().encode('12345678\0');

/** COMM group (no COMM action touches shared state, so none talks to the owner). */
export const handleComm: GroupHandler = (ctx, req) => {
  const le = req.header.littleEndian;
  switch (req.action) {
    case CommAction.INIT: {
      // Deviation: a short INIT is refused; the C server would read stale buffer bytes.
      const r = CommInitRequest.decode(req.payload, le);
      // Client 0 is the global keys' USER, so it is refused only when global keys are on.
      if (!r || r.clientId > CLIENT_ID_MAX || (r.clientId === 0 && ctx.config.keyFeatures.globalKeys)) return EMPTY;
      ctx.session.clientId = r.clientId;
      return reply(CommInitResponse.encode({ clientId: r.clientId, serverId: ctx.config.serverId }, le));
    }
    case CommAction.INFO: {
      const c = ctx.config;
      return reply(
        CommInfoResponse.encode(
          {
            dataLen: c.dataLen,
            nvmObjectCount: c.nvmObjectCount,
            keyCacheCount: c.keyCacheCount,
            keyCacheBufSize: c.keyCacheBufSize,
            keyCacheBigCount: c.keyCacheBigCount,
            keyCacheBigBufSize: c.keyCacheBigBufSize,
            customCbCount: c.customCbCount,
            dmaAddrCount: c.dmaAddrCount,
            debugState: 1,
            bootState: 2,
            lifecycleState: 3,
            nvmState: 4,
            version: VERSION,
            build: BUILD,
          },
          le,
        ),
      );
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

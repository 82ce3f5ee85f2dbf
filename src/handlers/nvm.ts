import { WhError } from '../errors.js';
import { NVM_METADATA_SIZE, decodeMetadata, EMPTY_METADATA, makeMetadata } from '../nvm/metadata.js';
import {
  NVM_MAX_DESTROY_OBJECTS,
  NvmAddObjectDmaRequest,
  NvmAddObjectRequest,
  NvmDestroyObjectsRequest,
  NvmGetAvailableResponse,
  NvmGetMetadataRequest,
  NvmGetMetadataResponse,
  NvmInitRequest,
  NvmInitResponse,
  NvmListRequest,
  NvmListResponse,
  NvmReadDmaRequest,
  NvmReadRequest,
  NvmReadResponse,
  NvmRc,
  destroyIds,
} from '../protocol/messages/nvm.js';
import { StructWriter } from '../protocol/bytes.js';
import { NvmAction } from '../protocol/groups.js';
import { EMPTY, reply, withLease, type GroupHandler, type HandlerContext, type HandlerRequest, type HandlerReply } from './handler-types.js';


/** Exact request sizes (spec-wire 9.2), from the message codecs; ADDOBJECT is variable and checked on its own. */
const REQUEST_SIZE: Partial<Record<number, number>> = {
  [NvmAction.INIT]: NvmInitRequest.size,
  [NvmAction.CLEANUP]: 0,
  [NvmAction.GETAVAILABLE]: 0,
  [NvmAction.LIST]: NvmListRequest.size,
  [NvmAction.GETMETADATA]: NvmGetMetadataRequest.size,
  [NvmAction.DESTROYOBJECTS]: NvmDestroyObjectsRequest.size,
  [NvmAction.READ]: NvmReadRequest.size,
  [NvmAction.ADDOBJECTDMA]: NvmAddObjectDmaRequest.size,
  [NvmAction.READDMA]: NvmReadDmaRequest.size,
};

/** Normal response sizes, used for zero-filled error answers too; every other action answers a bare rc. */
const RESPONSE_SIZE: Partial<Record<number, number>> = {
  [NvmAction.INIT]: NvmInitResponse.size,
  [NvmAction.GETAVAILABLE]: NvmGetAvailableResponse.size,
  [NvmAction.LIST]: NvmListResponse.size,
  [NvmAction.GETMETADATA]: NvmGetMetadataResponse.size,
};

const rcOnly = (req: HandlerRequest, rc: number, size = RESPONSE_SIZE[req.action] ?? NvmRc.size): HandlerReply =>
  reply(new StructWriter(size, req.header.littleEndian).i32(0, rc).bytes);

/**
 * NVM group (wh_server_nvm.c). Each request is decoded, sent to the owner as one
 * compound operation, and encoded back; a wrong size gets ABORTED in a normal-size
 * response without any owner message.
 */
export const handleNvm: GroupHandler = async (ctx, req) => {
  const expected = REQUEST_SIZE[req.action];
  if (expected !== undefined && req.payload.length !== expected) return rcOnly(req, WhError.ABORTED);
  const le = req.header.littleEndian;
  const p = req.payload;
  const lessee = ctx.session.sessionId;
  switch (req.action) {
    case NvmAction.INIT: {
      const r = NvmInitRequest.decode(p, le)!;
      return reply(NvmInitResponse.encode({ rc: 0, serverNvmId: ctx.config.serverId, clientNvmId: r.clientNvmId }, le));
    }
    case NvmAction.CLEANUP:
      return rcOnly(req, WhError.OK);
    case NvmAction.GETAVAILABLE: {
      const a = await ctx.owner.call(lessee, 'nvm.getAvailable', {});
      const v = a.rc === 0 ? a.value : { availSize: 0, reclaimSize: 0, availObjects: 0, reclaimObjects: 0 };
      return reply(NvmGetAvailableResponse.encode({ rc: a.rc, ...v }, le));
    }
    case NvmAction.ADDOBJECT:
      return handleAdd(ctx, req);
    case NvmAction.LIST: {
      const l = await ctx.owner.call(lessee, 'nvm.list', NvmListRequest.decode(p, le)!);
      return reply(NvmListResponse.encode({ rc: l.rc, ...(l.rc === 0 ? l.value : { count: 0, id: 0 }) }, le));
    }
    case NvmAction.GETMETADATA: {
      const m = await ctx.owner.call(lessee, 'nvm.getMetadata', NvmGetMetadataRequest.decode(p, le)!);
      return reply(NvmGetMetadataResponse.encode({ rc: m.rc, ...(m.rc === 0 ? m.value : EMPTY_METADATA) }, le));
    }
    case NvmAction.DESTROYOBJECTS: {
      const r = NvmDestroyObjectsRequest.decode(p, le)!;
      if (r.count > NVM_MAX_DESTROY_OBJECTS) return rcOnly(req, WhError.ABORTED);
      const ids = destroyIds(r.ids, r.count, le);
      return rcOnly(req, await destroyStepwise(ctx, ids));
    }
    case NvmAction.READ: {
      const r = NvmReadRequest.decode(p, le)!;
      if (r.dataLen > ctx.config.dataLen - 4) return rcOnly(req, WhError.ABORTED);
      const d = await ctx.owner.call(lessee, 'nvm.readClamped', { id: r.id, offset: r.offset, len: r.dataLen });
      if (d.rc !== 0) return rcOnly(req, d.rc);
      return reply(NvmReadResponse.encode({ rc: 0, data: d.value }, le));
    }
    case NvmAction.ADDOBJECTDMA:
      return addDma(ctx, req);
    case NvmAction.READDMA:
      return readDma(ctx, req);
    default:
      return EMPTY;
  }
};

/** Lets the event loop serve others between two steps of a compaction. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * DESTROYOBJECTS (every destroy compacts): inside one lease, so nothing else touches
 * the store until it is done, but in steps of one object each, so a large compaction
 * never holds the event loop (another client's ECHO, or a client that needs no NVM,
 * is served in between).
 */
async function destroyStepwise(ctx: HandlerContext, ids: readonly number[]): Promise<number> {
  const lessee = ctx.session.sessionId;
  const rc = await withLease(
    ctx,
    async () => {
      let r = await ctx.owner.call(lessee, 'nvm.destroyBegin', { ids });
      while (!r.done) {
        await nextTurn();
        r = await ctx.owner.call(lessee, 'nvm.destroyStep', { token: r.token });
      }
      return r.rc;
    },
    (refused) => refused,
  );
  // The lease is released before the disk work: the answer waits for it, nobody else does.
  if (rc !== WhError.OK) return rc;
  return (await ctx.owner.call(lessee, 'nvm.sync', {})).rc;
}

async function handleAdd(ctx: HandlerContext, req: HandlerRequest): Promise<HandlerReply> {
  const r = NvmAddObjectRequest.decode(req.payload, req.header.littleEndian);
  if (!r) return rcOnly(req, WhError.ABORTED);
  // Deviation: wolfHSM answers OK and stores nothing when the size disagrees with len.
  if (r.data.length !== r.len) return rcOnly(req, WhError.ABORTED);
  const meta = makeMetadata({ id: r.id, access: r.access, flags: r.flags, len: r.len, label: r.label });
  return rcOnly(req, (await ctx.owner.call(ctx.session.sessionId, 'nvm.addObjectChecked', { meta, data: r.data })).rc);
}

/**
 * ADDOBJECTDMA: metadata and data come from client memory, then one checked add.
 * The transfers touch no shared state, so no lease is held across them: a slow or
 * vanishing client stalls only itself. Connections without client memory (TCP)
 * get NOTIMPL.
 */
async function addDma(ctx: HandlerContext, req: HandlerRequest): Promise<HandlerReply> {
  const dma = ctx.dma;
  if (!dma) return rcOnly(req, WhError.NOTIMPL);
  const { metadataAddr: metaAddr, dataAddr, dataLen } = NvmAddObjectDmaRequest.decode(req.payload, req.header.littleEndian)!;
  if (metaAddr === 0n) return rcOnly(req, WhError.BADARGS);
  const m = await dma.read(metaAddr, NVM_METADATA_SIZE);
  if (m.rc !== WhError.OK) return rcOnly(req, m.rc);
  let data: Uint8Array | null = null;
  if (dataLen > 0) {
    const d = await dma.read(dataAddr, dataLen);
    if (d.rc !== WhError.OK) return rcOnly(req, d.rc);
    data = d.value;
  }
  const meta = { ...decodeMetadata(m.value, 0, req.header.littleEndian), len: dataLen };
  return rcOnly(req, (await ctx.owner.call(ctx.session.sessionId, 'nvm.addObjectChecked', { meta, data })).rc);
}

/**
 * READDMA: metadata, offset check, clamp and checked read in one owner message
 * (which hands out a copy of one version), then the allow-list check with the
 * unclamped length and the transfer into client memory, outside the owner.
 */
async function readDma(ctx: HandlerContext, req: HandlerRequest): Promise<HandlerReply> {
  const dma = ctx.dma;
  if (!dma) return rcOnly(req, WhError.NOTIMPL);
  const { dataAddr: addr, id, offset, dataLen: len } = NvmReadDmaRequest.decode(req.payload, req.header.littleEndian)!;
  const d = await ctx.owner.call(ctx.session.sessionId, 'nvm.readClamped', { id, offset, len });
  if (d.rc !== WhError.OK) return rcOnly(req, d.rc);
  const mapped = dma.check(addr, len);
  if (mapped !== WhError.OK) return rcOnly(req, mapped);
  return rcOnly(req, await dma.write(addr, d.value));
}

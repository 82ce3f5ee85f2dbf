import { WhError } from '../errors.js';
import { NVM_METADATA_SIZE, decodeMetadata, encodeMetadata, EMPTY_METADATA } from '../nvm/metadata.js';
import { StructReader, StructWriter } from '../protocol/bytes.js';
import { NvmAction } from '../protocol/groups.js';
import { EMPTY, reply, withLease, type GroupHandler, type HandlerContext, type HandlerRequest, type HandlerReply } from './handler-types.js';

export const NVM_MAX_DESTROY_OBJECTS = 19;

/** Exact request sizes (spec-wire 9.2); ADDOBJECT is variable and checked on its own. */
const REQUEST_SIZE: Partial<Record<number, number>> = {
  [NvmAction.INIT]: 4,
  [NvmAction.CLEANUP]: 0,
  [NvmAction.GETAVAILABLE]: 0,
  [NvmAction.LIST]: 6,
  [NvmAction.GETMETADATA]: 2,
  [NvmAction.DESTROYOBJECTS]: 40,
  [NvmAction.READ]: 6,
  [NvmAction.ADDOBJECTDMA]: 24,
  [NvmAction.READDMA]: 16,
};

/** Normal response sizes, used for zero-filled error answers too. */
const RESPONSE_SIZE: Partial<Record<number, number>> = {
  [NvmAction.INIT]: 12,
  [NvmAction.CLEANUP]: 4,
  [NvmAction.GETAVAILABLE]: 16,
  [NvmAction.ADDOBJECT]: 4,
  [NvmAction.LIST]: 8,
  [NvmAction.GETMETADATA]: 36,
  [NvmAction.DESTROYOBJECTS]: 4,
  [NvmAction.READ]: 4,
  [NvmAction.ADDOBJECTDMA]: 4,
  [NvmAction.READDMA]: 4,
};

const rcOnly = (req: HandlerRequest, rc: number, size = RESPONSE_SIZE[req.action] ?? 4): HandlerReply =>
  reply(new StructWriter(size, req.header.littleEndian).i32(0, rc).bytes);

/**
 * NVM group (wh_server_nvm.c). Each request is decoded, sent to the owner as one
 * compound operation, and encoded back; a wrong size gets ABORTED in a normal-size
 * response without any owner message.
 */
export const handleNvm: GroupHandler = async (ctx, req) => {
  const expected = REQUEST_SIZE[req.action];
  if (expected !== undefined && req.payload.length !== expected) return rcOnly(req, WhError.ABORTED);
  const r = new StructReader(req.payload, req.header.littleEndian);
  const le = req.header.littleEndian;
  const lessee = ctx.session.sessionId;
  switch (req.action) {
    case NvmAction.INIT:
      return reply(new StructWriter(12, le).i32(0, 0).u32(4, ctx.config.serverId).u32(8, r.u32(0)).bytes);
    case NvmAction.CLEANUP:
      return rcOnly(req, WhError.OK);
    case NvmAction.GETAVAILABLE: {
      const a = await ctx.owner.call(lessee, 'nvm.getAvailable', {});
      const w = new StructWriter(16, le).i32(0, a.rc);
      if (a.rc === 0) w.u32(4, a.value.availSize).u32(8, a.value.reclaimSize).u16(12, a.value.availObjects).u16(14, a.value.reclaimObjects);
      return reply(w.bytes);
    }
    case NvmAction.ADDOBJECT:
      return handleAdd(ctx, req, r);
    case NvmAction.LIST: {
      const l = await ctx.owner.call(lessee, 'nvm.list', { access: r.u16(0), flags: r.u16(2), startId: r.u16(4) });
      const w = new StructWriter(8, le).i32(0, l.rc);
      if (l.rc === 0) w.u16(4, l.value.count).u16(6, l.value.id);
      return reply(w.bytes);
    }
    case NvmAction.GETMETADATA: {
      const m = await ctx.owner.call(lessee, 'nvm.getMetadata', { id: r.u16(0) });
      const meta = m.rc === 0 ? m.value : EMPTY_METADATA;
      const w = new StructWriter(36, le).i32(0, m.rc);
      if (m.rc === 0) w.set(4, encodeMetadata(meta, undefined, 0, le));
      return reply(w.bytes);
    }
    case NvmAction.DESTROYOBJECTS: {
      const count = r.u16(0);
      if (count > NVM_MAX_DESTROY_OBJECTS) return rcOnly(req, WhError.ABORTED);
      const ids = Array.from({ length: count }, (_, i) => r.u16(2 + 2 * i));
      return rcOnly(req, (await ctx.owner.call(lessee, 'nvm.destroyObjectsChecked', { ids })).rc);
    }
    case NvmAction.READ: {
      const id = r.u16(0);
      const offset = r.u16(2);
      const len = r.u16(4);
      if (len > ctx.config.dataLen - 4) return rcOnly(req, WhError.ABORTED);
      const d = await ctx.owner.call(lessee, 'nvm.readClamped', { id, offset, len });
      if (d.rc !== 0) return rcOnly(req, d.rc);
      const out = new StructWriter(4 + d.value.length, le).i32(0, 0);
      out.set(4, d.value);
      return reply(out.bytes);
    }
    case NvmAction.ADDOBJECTDMA:
      return addDma(ctx, req, r);
    case NvmAction.READDMA:
      return readDma(ctx, req, r);
    default:
      return EMPTY;
  }
};

async function handleAdd(ctx: HandlerContext, req: HandlerRequest, r: StructReader): Promise<HandlerReply> {
  if (req.payload.length < NVM_METADATA_SIZE) return rcOnly(req, WhError.ABORTED);
  const meta = decodeMetadata(req.payload, 0, req.header.littleEndian);
  // Deviation: wolfHSM answers OK and stores nothing when the size disagrees with len.
  if (req.payload.length !== NVM_METADATA_SIZE + meta.len) return rcOnly(req, WhError.ABORTED);
  const data = r.slice(NVM_METADATA_SIZE, meta.len);
  return rcOnly(req, (await ctx.owner.call(ctx.session.sessionId, 'nvm.addObjectChecked', { meta, data })).rc);
}

/**
 * ADDOBJECTDMA: metadata and data come from client memory. Both transfers and the
 * checked add run inside one lease, as wolfHSM reads client memory under its lock.
 * Connections without client memory (TCP) get NOTIMPL.
 */
async function addDma(ctx: HandlerContext, req: HandlerRequest, r: StructReader): Promise<HandlerReply> {
  const dma = ctx.dma;
  if (!dma) return rcOnly(req, WhError.NOTIMPL);
  const metaAddr = r.u64(0);
  const dataAddr = r.u64(8);
  const dataLen = r.u16(16);
  if (metaAddr === 0n) return rcOnly(req, WhError.BADARGS);
  const lessee = ctx.session.sessionId;
  return withLease(
    ctx,
    async () => {
      const m = await dma.read(metaAddr, NVM_METADATA_SIZE);
      if (m.rc !== WhError.OK) return rcOnly(req, m.rc);
      let data: Uint8Array | null = null;
      if (dataLen > 0) {
        const d = await dma.read(dataAddr, dataLen);
        if (d.rc !== WhError.OK) return rcOnly(req, d.rc);
        data = d.value;
      }
      const meta = { ...decodeMetadata(m.value, 0, req.header.littleEndian), len: dataLen };
      return rcOnly(req, (await ctx.owner.call(lessee, 'nvm.addObjectChecked', { meta, data })).rc);
    },
    (rc) => rcOnly(req, rc),
  );
}

/**
 * READDMA: metadata, offset check, clamp and checked read (one owner message),
 * the allow-list check with the unclamped length, then the transfer into client
 * memory, all inside one lease so no resize or destroy can land half way.
 */
async function readDma(ctx: HandlerContext, req: HandlerRequest, r: StructReader): Promise<HandlerReply> {
  const dma = ctx.dma;
  if (!dma) return rcOnly(req, WhError.NOTIMPL);
  const addr = r.u64(0);
  const id = r.u16(8);
  const offset = r.u16(10);
  const len = r.u16(12);
  return withLease(
    ctx,
    async () => {
      const d = await ctx.owner.call(ctx.session.sessionId, 'nvm.readClamped', { id, offset, len });
      if (d.rc !== WhError.OK) return rcOnly(req, d.rc);
      const mapped = dma.check(addr, len);
      if (mapped !== WhError.OK) return rcOnly(req, mapped);
      return rcOnly(req, await dma.write(addr, d.value));
    },
    (rc) => rcOnly(req, rc),
  );
}

import { WhError, type WhRc } from '../errors.js';
import { KeyType, keyIdFromClient, keyIdToClient } from '../keystore/key-id.js';
import { NVM_ACCESS_ANY, NVM_LABEL_LEN, NvmFlags, makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { StructReader, StructWriter } from '../protocol/bytes.js';
import { KeyAction } from '../protocol/groups.js';
import { ECHO, reply, withLease, type GroupHandler, type HandlerContext, type HandlerReply, type HandlerRequest } from './handler-types.js';
import type { KeyFeatures } from '../keystore/key-id.js';

/** Fixed request struct sizes (spec-wire 10.2); shorter requests get BADARGS. */
const REQUEST_SIZE: Partial<Record<number, number>> = {
  [KeyAction.CACHE]: 40,
  [KeyAction.EVICT]: 8,
  [KeyAction.EXPORT]: 8,
  [KeyAction.COMMIT]: 8,
  [KeyAction.ERASE]: 8,
  [KeyAction.REVOKE]: 8,
  [KeyAction.CACHE_DMA]: 56,
  [KeyAction.EXPORT_DMA]: 24,
  [KeyAction.CACHE_RANDOM]: 40,
  [KeyAction.KEYWRAP]: 6,
  [KeyAction.KEYWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPCACHE]: 8,
  [KeyAction.DATAWRAP]: 8,
  [KeyAction.DATAUNWRAP]: 8,
};

/** Normal response sizes; errors are answered at the same size. */
const RESPONSE_SIZE: Record<number, number> = {
  [KeyAction.CACHE]: 12,
  [KeyAction.EVICT]: 12,
  [KeyAction.EXPORT]: 36,
  [KeyAction.COMMIT]: 12,
  [KeyAction.ERASE]: 12,
  [KeyAction.REVOKE]: 8,
  [KeyAction.CACHE_DMA]: 24,
  [KeyAction.EXPORT_DMA]: 48,
  [KeyAction.CACHE_RANDOM]: 12,
  [KeyAction.EXPORT_PUBLIC]: 36,
  [KeyAction.EXPORT_PUBLIC_DMA]: 48,
  [KeyAction.KEYWRAP]: 8,
  [KeyAction.KEYWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPCACHE]: 8,
  [KeyAction.DATAWRAP]: 12,
  [KeyAction.DATAUNWRAP]: 12,
};

/** Where the i32 rc sits in each response (the DMA responses lead with the bad address). */
const RC_OFFSET = (action: number) => (action === KeyAction.CACHE_DMA || action === KeyAction.EXPORT_DMA || action === KeyAction.EXPORT_PUBLIC_DMA ? 16 : 0);

/** Actions that need crypto (wrap family, public-key export): answered NOTIMPL. */
const CRYPTO_ONLY: ReadonlySet<number> = new Set([
  KeyAction.KEYWRAP,
  KeyAction.KEYWRAPEXPORT,
  KeyAction.KEYUNWRAPEXPORT,
  KeyAction.KEYUNWRAPCACHE,
  KeyAction.DATAWRAP,
  KeyAction.DATAUNWRAP,
  KeyAction.EXPORT_PUBLIC,
  KeyAction.EXPORT_PUBLIC_DMA,
]);

const rcAnswer = (req: HandlerRequest, rc: number): HandlerReply =>
  reply(new StructWriter(RESPONSE_SIZE[req.action]!, req.header.littleEndian).i32(RC_OFFSET(req.action), rc).bytes);

/** Metadata for a key a client sends: server id, access ANY, 16-bit flags minus TRUSTED, label cut to 24. */
function clientKeyMeta(id: number, flags: number, len: number, label: Uint8Array, labelLen: number): NvmMetadata {
  return makeMetadata({ id, access: NVM_ACCESS_ANY, flags: flags & 0xffff & ~NvmFlags.SERVER_ONLY, len, label: label.subarray(0, Math.min(labelLen, NVM_LABEL_LEN)) });
}

/**
 * KEY group, non-crypto actions (wh_Server_HandleKeyRequest). Each request is one
 * owner message carrying this client's local cache; the DMA variants hold one
 * lease around their owner messages and client-memory transfers.
 */
export const handleKey: GroupHandler = async (ctx, req) => {
  const size = RESPONSE_SIZE[req.action];
  if (size === undefined) return ECHO; // wolfHSM: NOHANDLER without a response size → request echoed
  const need = REQUEST_SIZE[req.action];
  if (need !== undefined && req.payload.length < need) return rcAnswer(req, WhError.BADARGS);
  if (CRYPTO_ONLY.has(req.action)) return rcAnswer(req, WhError.NOTIMPL);
  const r = new StructReader(req.payload, req.header.littleEndian);
  const features = ctx.config.keyFeatures;
  const toServer = (clientKeyId: number) => keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, clientKeyId, features);
  switch (req.action) {
    case KeyAction.CACHE:
      return cache(ctx, req, r, toServer, features);
    case KeyAction.CACHE_RANDOM:
      return cacheRandom(ctx, req, r, toServer, features);
    case KeyAction.EXPORT:
      return exportKey(ctx, req, toServer(r.u16(0)));
    case KeyAction.CACHE_DMA:
      return cacheDma(ctx, req, r, toServer, features);
    case KeyAction.EXPORT_DMA:
      return exportDma(ctx, req, r, toServer(r.u16(16)));
    default: {
      const kind = req.action === KeyAction.EVICT ? 'key.evict' : req.action === KeyAction.COMMIT ? 'key.commit' : req.action === KeyAction.ERASE ? 'key.erase' : 'key.revoke';
      const res = await ctx.owner.call(ctx.session.sessionId, kind, { local: ctx.session.localCache, id: toServer(r.u16(0)) });
      return rcAnswer(req, res.rc);
    }
  }
};

type ToServer = (clientKeyId: number) => number;

function idAnswer(req: HandlerRequest, rc: WhRc, serverId: number | null, f: KeyFeatures): HandlerReply {
  const w = new StructWriter(12, req.header.littleEndian).i32(0, rc);
  if (rc === WhError.OK && serverId !== null) w.u16(4, keyIdToClient(serverId, f));
  return reply(w.bytes);
}

async function cache(ctx: HandlerContext, req: HandlerRequest, r: StructReader, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  const sz = r.u32(4);
  if (sz > req.payload.length - 40) return rcAnswer(req, WhError.BADARGS);
  const meta = clientKeyMeta(toServer(r.u16(12)), r.u32(0), sz, r.slice(16, NVM_LABEL_LEN), r.u32(8));
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cache', { local: ctx.session.localCache, meta, data: r.slice(40, sz) });
  return idAnswer(req, res.rc, res.rc === 0 ? res.value : null, f);
}

async function cacheRandom(ctx: HandlerContext, req: HandlerRequest, r: StructReader, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  const meta = clientKeyMeta(toServer(r.u16(10)), r.u32(0), r.u16(8), r.slice(16, NVM_LABEL_LEN), r.u32(4));
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cacheRandom', { local: ctx.session.localCache, meta });
  return idAnswer(req, res.rc, res.rc === 0 ? res.value : null, f);
}

async function exportKey(ctx: HandlerContext, req: HandlerRequest, id: number): Promise<HandlerReply> {
  const capacity = ctx.config.dataLen - 36;
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.export', { local: ctx.session.localCache, id, capacity });
  if (res.rc !== WhError.OK) return rcAnswer(req, res.rc);
  const { meta, data } = res.value;
  const w = new StructWriter(36 + data.length, req.header.littleEndian).i32(0, 0).u32(4, data.length).set(8, meta.label);
  w.set(36, data);
  return reply(w.bytes);
}

async function cacheDma(ctx: HandlerContext, req: HandlerRequest, r: StructReader, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  const addr = r.u64(0);
  const keySize = r.u64(8);
  const answer = (rc: WhRc, id: number | null) => {
    const w = new StructWriter(24, req.header.littleEndian).i32(16, rc);
    if (rc === WhError.OK && id !== null) w.u16(20, keyIdToClient(id, f));
    else w.u64(0, addr).u64(8, keySize); // the failed transfer's address and size
    return reply(w.bytes);
  };
  const dma = ctx.dma;
  if (!dma) return answer(WhError.NOTIMPL, null);
  if (keySize > 0xffffn) return answer(WhError.BADARGS, null);
  const len = Number(keySize);
  const meta = clientKeyMeta(toServer(r.u16(24)), r.u32(16), len, r.slice(26, NVM_LABEL_LEN), r.u32(20));
  const local = ctx.session.localCache;
  const lessee = ctx.session.sessionId;
  return withLease(
    ctx,
    async () => {
      const slot = await ctx.owner.call(lessee, 'key.cacheDmaPrepare', { local, meta });
      if (slot.rc !== WhError.OK) return answer(slot.rc, null);
      const bytes = await dma.read(addr, len);
      await ctx.owner.call(lessee, 'key.cacheDmaFinish', { local, id: slot.value, data: bytes.rc === WhError.OK ? bytes.value : null });
      return answer(bytes.rc, slot.value);
    },
    (rc) => answer(rc, null),
  );
}

async function exportDma(ctx: HandlerContext, req: HandlerRequest, r: StructReader, id: number): Promise<HandlerReply> {
  const addr = r.u64(0);
  const keySize = r.u64(8);
  const answer = (rc: WhRc, meta: NvmMetadata | null) => {
    const w = new StructWriter(48, req.header.littleEndian).i32(16, rc);
    if (rc === WhError.OK && meta) w.u32(20, meta.len).set(24, meta.label);
    else w.u64(0, addr).u64(8, keySize);
    return reply(w.bytes);
  };
  const dma = ctx.dma;
  if (!dma) return answer(WhError.NOTIMPL, null);
  const capacity = keySize > 0xffffffffn ? 0xffffffff : Number(keySize);
  return withLease(
    ctx,
    async () => {
      const key = await ctx.owner.call(ctx.session.sessionId, 'key.exportDma', { local: ctx.session.localCache, id, capacity });
      if (key.rc !== WhError.OK) return answer(key.rc, null);
      return answer(await dma.write(addr, key.value.data), key.value.meta);
    },
    (rc) => answer(rc, null),
  );
}

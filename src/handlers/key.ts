import { WhError, type WhRc } from '../errors.js';
import { KeyType, keyIdFromClient, keyIdToClient } from '../keystore/key-id.js';
import { NVM_ACCESS_ANY, NVM_LABEL_LEN, NvmFlags, makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { StructWriter } from '../protocol/bytes.js';
import {
  KeyCacheDmaRequest,
  KeyCacheDmaResponse,
  KeyCacheRandomRequest,
  KeyCacheRequest,
  KeyExportDmaRequest,
  KeyExportDmaResponse,
  KeyExportResponse,
  KeyIdRequest,
  KeyIdResponse,
  KeyOkResponse,
  KeyRevokeResponse,
} from '../protocol/messages/key.js';
import { KeyAction } from '../protocol/groups.js';
import { ECHO, reply, type GroupHandler, type HandlerContext, type HandlerReply, type HandlerRequest } from './handler-types.js';
import type { KeyFeatures } from '../keystore/key-id.js';

/** Fixed request struct sizes (spec-wire 10.2), from the codecs where the action is served; shorter requests get BADARGS. */
const REQUEST_SIZE: Partial<Record<number, number>> = {
  [KeyAction.CACHE]: KeyCacheRequest.size,
  [KeyAction.EVICT]: KeyIdRequest.size,
  [KeyAction.EXPORT]: KeyIdRequest.size,
  [KeyAction.COMMIT]: KeyIdRequest.size,
  [KeyAction.ERASE]: KeyIdRequest.size,
  [KeyAction.REVOKE]: KeyIdRequest.size,
  [KeyAction.CACHE_DMA]: KeyCacheDmaRequest.size,
  [KeyAction.EXPORT_DMA]: KeyExportDmaRequest.size,
  [KeyAction.CACHE_RANDOM]: KeyCacheRandomRequest.size,
  [KeyAction.KEYWRAP]: 6,
  [KeyAction.KEYWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPEXPORT]: 8,
  [KeyAction.KEYUNWRAPCACHE]: 8,
  [KeyAction.DATAWRAP]: 8,
  [KeyAction.DATAUNWRAP]: 8,
};

/** Normal response sizes; errors are answered at the same size. */
const RESPONSE_SIZE: Record<number, number> = {
  [KeyAction.CACHE]: KeyIdResponse.size,
  [KeyAction.EVICT]: KeyOkResponse.size,
  [KeyAction.EXPORT]: KeyExportResponse.size,
  [KeyAction.COMMIT]: KeyOkResponse.size,
  [KeyAction.ERASE]: KeyOkResponse.size,
  [KeyAction.REVOKE]: KeyRevokeResponse.size,
  [KeyAction.CACHE_DMA]: KeyCacheDmaResponse.size,
  [KeyAction.EXPORT_DMA]: KeyExportDmaResponse.size,
  [KeyAction.CACHE_RANDOM]: KeyIdResponse.size,
  [KeyAction.EXPORT_PUBLIC]: KeyExportResponse.size,
  [KeyAction.EXPORT_PUBLIC_DMA]: KeyExportDmaResponse.size,
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
  const le = req.header.littleEndian;
  const features = ctx.config.keyFeatures;
  const toServer = (clientKeyId: number) => keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, clientKeyId, features);
  switch (req.action) {
    case KeyAction.CACHE:
      return cache(ctx, req, KeyCacheRequest.decode(req.payload, le)!, toServer, features);
    case KeyAction.CACHE_RANDOM:
      return cacheRandom(ctx, req, KeyCacheRandomRequest.decode(req.payload, le)!, toServer, features);
    case KeyAction.EXPORT:
      return exportKey(ctx, req, toServer(KeyIdRequest.decode(req.payload, le)!.id));
    case KeyAction.CACHE_DMA:
      return cacheDma(ctx, req, KeyCacheDmaRequest.decode(req.payload, le)!, toServer, features);
    case KeyAction.EXPORT_DMA: {
      const r = KeyExportDmaRequest.decode(req.payload, le)!;
      return exportDma(ctx, req, r.keyAddr, r.keySize, toServer(r.id));
    }
    default: {
      const kind = req.action === KeyAction.EVICT ? 'key.evict' : req.action === KeyAction.COMMIT ? 'key.commit' : req.action === KeyAction.ERASE ? 'key.erase' : 'key.revoke';
      const id = toServer(KeyIdRequest.decode(req.payload, le)!.id);
      const res = await ctx.owner.call(ctx.session.sessionId, kind, { local: ctx.session.localCache, id });
      return rcAnswer(req, res.rc);
    }
  }
};

type ToServer = (clientKeyId: number) => number;
type Decoded<C> = C extends { decode(b: Uint8Array, le: boolean): infer T | null } ? T : never;

function idAnswer(req: HandlerRequest, rc: WhRc, serverId: number | null, f: KeyFeatures): HandlerReply {
  const id = rc === WhError.OK && serverId !== null ? keyIdToClient(serverId, f) : 0;
  return reply(KeyIdResponse.encode({ rc, id }, req.header.littleEndian));
}

async function cache(ctx: HandlerContext, req: HandlerRequest, r: Decoded<typeof KeyCacheRequest>, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  if (r.sz > r.data.length) return rcAnswer(req, WhError.BADARGS);
  const meta = clientKeyMeta(toServer(r.id), r.flags, r.sz, r.label, r.labelLen);
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cache', { local: ctx.session.localCache, meta, data: r.data.subarray(0, r.sz) });
  return idAnswer(req, res.rc, res.rc === 0 ? res.value : null, f);
}

async function cacheRandom(ctx: HandlerContext, req: HandlerRequest, r: Decoded<typeof KeyCacheRandomRequest>, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  const meta = clientKeyMeta(toServer(r.id), r.flags, r.sz, r.label, r.labelLen);
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cacheRandom', { local: ctx.session.localCache, meta });
  return idAnswer(req, res.rc, res.rc === 0 ? res.value : null, f);
}

async function exportKey(ctx: HandlerContext, req: HandlerRequest, id: number): Promise<HandlerReply> {
  const capacity = ctx.config.dataLen - KeyExportResponse.size;
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.export', { local: ctx.session.localCache, id, capacity });
  if (res.rc !== WhError.OK) return rcAnswer(req, res.rc);
  const { meta, data } = res.value;
  return reply(KeyExportResponse.encode({ rc: 0, len: data.length, label: meta.label, data }, req.header.littleEndian));
}

async function cacheDma(ctx: HandlerContext, req: HandlerRequest, r: Decoded<typeof KeyCacheDmaRequest>, toServer: ToServer, f: KeyFeatures): Promise<HandlerReply> {
  const answer = (rc: WhRc, id: number | null) => {
    const okay = rc === WhError.OK && id !== null;
    // On failure the response names the client range that could not be used.
    const v = okay ? { badAddr: 0n, badSize: 0n, rc, id: keyIdToClient(id, f) } : { badAddr: r.keyAddr, badSize: r.keySize, rc, id: 0 };
    return reply(KeyCacheDmaResponse.encode(v, req.header.littleEndian));
  };
  const dma = ctx.dma;
  if (!dma) return answer(WhError.NOTIMPL, null);
  if (r.keySize > 0xffffn) return answer(WhError.BADARGS, null);
  const len = Number(r.keySize);
  const meta = clientKeyMeta(toServer(r.id), r.flags, len, r.label, r.labelLen);
  // Client memory first, then one owner message: nothing is published before its bytes
  // are there, and no lease is held across a transfer a vanishing client could stall.
  const bytes = await dma.read(r.keyAddr, len);
  const data = bytes.rc === WhError.OK ? bytes.value : null;
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cacheDma', { local: ctx.session.localCache, meta, data, transferRc: bytes.rc });
  return answer(res.rc, res.rc === WhError.OK ? res.value : null);
}

async function exportDma(ctx: HandlerContext, req: HandlerRequest, addr: bigint, keySize: bigint, id: number): Promise<HandlerReply> {
  const answer = (rc: WhRc, meta: NvmMetadata | null) => {
    const v =
      rc === WhError.OK && meta
        ? { badAddr: 0n, badSize: 0n, rc, len: meta.len, label: meta.label }
        : { badAddr: addr, badSize: keySize, rc, len: 0, label: new Uint8Array(NVM_LABEL_LEN) };
    return reply(KeyExportDmaResponse.encode(v, req.header.littleEndian));
  };
  const dma = ctx.dma;
  if (!dma) return answer(WhError.NOTIMPL, null);
  const capacity = keySize > 0xffffffffn ? 0xffffffff : Number(keySize);
  // One owner message hands out a copy; writing it to client memory touches no shared state.
  const key = await ctx.owner.call(ctx.session.sessionId, 'key.exportDma', { local: ctx.session.localCache, id, capacity });
  if (key.rc !== WhError.OK) return answer(key.rc, null);
  return answer(await dma.write(addr, key.value.data), key.value.meta);
}

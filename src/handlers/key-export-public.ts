import { decodeZeroPadded } from '../protocol/struct.js';
import { WhError, type WhRc } from '../errors.js';
import type { CryptoEngine } from '../crypto/engine.js';
import { PUBLIC_KEY_JOB, type PublicKeyArgs, type PublicKeyResult } from '../crypto/public-key.js';
import { keyIdFromClient, KeyType } from '../keystore/key-id.js';
import { NVM_LABEL_LEN, type NvmMetadata } from '../nvm/metadata.js';
import { KeyAction } from '../protocol/groups.js';
import { KeyExportDmaResponse, KeyExportPublicDmaRequest, KeyExportPublicRequest, KeyExportResponse } from '../protocol/messages/key.js';
import { reply, type HandlerContext, type HandlerReply, type HandlerRequest } from './handler-types.js';

const KEY_EXPORT_HEADER = KeyExportResponse.size;

/**
 * The public part of a stored key (K8): one owner message (public-export policy,
 * freshen, copy), then the family's encoder on the engine, outside the owner. An
 * algorithm without an encoder is BADARGS, as a compiled-out one in wolfHSM.
 */
async function publicPart(ctx: HandlerContext, engine: CryptoEngine, clientKeyId: number, algo: number): Promise<{ rc: WhRc | number; meta?: NvmMetadata; publicKey?: Uint8Array }> {
  const id = keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, clientKeyId, ctx.config.keyFeatures);
  const key = await ctx.owner.call(ctx.session.sessionId, 'key.loadForExportPublic', { local: ctx.session.localCache, id });
  if (key.rc !== WhError.OK) return { rc: key.rc };
  const job = PUBLIC_KEY_JOB[algo];
  if (!job) return { rc: WhError.BADARGS };
  const out = await engine.run<PublicKeyResult>(job, { key: key.value.data } satisfies PublicKeyArgs, 0);
  key.value.data.fill(0); // the private half stays in the owner's cache only
  if (!('publicKey' in out)) return { rc: out.rc };
  return { rc: WhError.OK, meta: key.value.meta, publicKey: out.publicKey };
}

/** EXPORT_PUBLIC: the 36-byte export header, then the public key; on error len 0 and a zero label. */
async function exportPublic(ctx: HandlerContext, req: HandlerRequest, engine: CryptoEngine): Promise<HandlerReply> {
  const le = req.header.littleEndian;
  const r = decodeZeroPadded(KeyExportPublicRequest, req.payload, le);
  let res = await publicPart(ctx, engine, r.id, r.algo);
  if (res.publicKey && res.publicKey.length > ctx.config.dataLen - KEY_EXPORT_HEADER) res = { rc: WhError.NOSPACE };
  if (res.rc !== WhError.OK || !res.publicKey || !res.meta) {
    return reply(KeyExportResponse.encode({ rc: res.rc, len: 0, label: new Uint8Array(NVM_LABEL_LEN), data: new Uint8Array(0) }, le));
  }
  return reply(KeyExportResponse.encode({ rc: 0, len: res.publicKey.length, label: res.meta.label, data: res.publicKey }, le));
}

/** EXPORT_PUBLIC_DMA: the public key written into client memory (in-process clients with a DMA port). */
async function exportPublicDma(ctx: HandlerContext, req: HandlerRequest, engine: CryptoEngine): Promise<HandlerReply> {
  const le = req.header.littleEndian;
  const r = decodeZeroPadded(KeyExportPublicDmaRequest, req.payload, le);
  const answer = (rc: number, len: number, label: Uint8Array, bad: boolean) =>
    reply(KeyExportDmaResponse.encode({ badAddr: bad ? r.keyAddr : 0n, badSize: bad ? r.keySize : 0n, rc, len, label }, le));
  const zero = new Uint8Array(NVM_LABEL_LEN);
  if (!ctx.dma) return answer(WhError.NOTIMPL, 0, zero, false);
  const res = await publicPart(ctx, engine, r.id, r.algo);
  if (res.rc !== WhError.OK || !res.publicKey || !res.meta) return answer(res.rc, 0, zero, false);
  if (BigInt(res.publicKey.length) > r.keySize) return answer(WhError.NOSPACE, 0, zero, false);
  const rc = await ctx.dma.write(r.keyAddr, res.publicKey);
  return rc === WhError.OK ? answer(0, res.publicKey.length, res.meta.label, false) : answer(rc, 0, zero, true);
}

/** Serves KEY EXPORT_PUBLIC and EXPORT_PUBLIC_DMA; null for every other action. */
export function handleKeyExportPublic(ctx: HandlerContext, req: HandlerRequest, engine: CryptoEngine): Promise<HandlerReply> | null {
  if (req.action === KeyAction.EXPORT_PUBLIC) return exportPublic(ctx, req, engine);
  if (req.action === KeyAction.EXPORT_PUBLIC_DMA) return exportPublicDma(ctx, req, engine);
  return null;
}

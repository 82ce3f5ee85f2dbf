import { decodeZeroPadded } from '../../protocol/struct.js';
import { WhError } from '../../errors.js';
import { makeMetadata } from '../../nvm/metadata.js';
import { CertAddTrustedDmaRequest, CertAddTrustedRequest, CertIdRequest, CertReadTrustedDmaRequest, CertReadTrustedResponse } from '../../protocol/messages/cert.js';
import { reply, type HandlerReply, type HandlerRequest } from '../handler-types.js';
import { simple, type CertContext } from './cert-context.js';

/** ERASETRUSTED and READTRUSTED read their id without a size check: a short payload reads as zeros. */
function idOf(c: CertContext, payload: Uint8Array): number {
  return decodeZeroPadded(CertIdRequest, payload, c.le).id;
}

async function add(c: CertContext, f: { id: number; access: number; flags: number; label: Uint8Array }, cert: Uint8Array): Promise<HandlerReply> {
  const meta = makeMetadata({ id: f.id, access: f.access, flags: f.flags, len: cert.length, label: f.label });
  const r = await c.ctx.owner.call(c.ctx.session.sessionId, 'cert.addTrusted', { local: c.ctx.session.localCache, meta, cert });
  return simple(c, r.rc);
}

/** ADDTRUSTED: the 36-byte header, then the certificate (stored as sent, unparsed). */
export function addTrusted(c: CertContext, req: HandlerRequest): Promise<HandlerReply> | HandlerReply {
  const r = CertAddTrustedRequest.decode(req.payload, c.le);
  if (!r || r.certLen > r.data.length) return simple(c, WhError.BADARGS);
  return add(c, r, r.data.subarray(0, r.certLen));
}

/** ADDTRUSTED_DMA: the certificate comes from client memory, then the same checked add. */
export async function addTrustedDma(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  if (req.payload.length !== CertAddTrustedDmaRequest.size) return simple(c, WhError.ABORTED);
  const dma = c.ctx.dma;
  if (!dma) return simple(c, WhError.NOTIMPL);
  const r = CertAddTrustedDmaRequest.decode(req.payload, c.le)!;
  if (r.certLen > 0xffff) return simple(c, WhError.BADARGS); // an NVM object's length is 16 bits
  const cert = await dma.read(r.certAddr, r.certLen);
  if (cert.rc !== WhError.OK) return simple(c, cert.rc);
  return add(c, r, cert.value);
}

export async function eraseTrusted(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const r = await c.ctx.owner.call(c.ctx.session.sessionId, 'cert.eraseTrusted', { local: c.ctx.session.localCache, id: idOf(c, req.payload) });
  return simple(c, r.rc);
}

/** READTRUSTED: the certificate after the 8-byte header; too large → BUFFER_SIZE with its length and no data. */
export async function readTrusted(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const capacity = Math.min(c.maxCertSize, c.ctx.config.dataLen - CertReadTrustedResponse.size);
  const r = await c.ctx.owner.call(c.ctx.session.sessionId, 'cert.readTrusted', { id: idOf(c, req.payload), capacity, maxCertSize: c.maxCertSize });
  const data = r.rc === WhError.OK && r.data ? r.data : new Uint8Array(0);
  return reply(CertReadTrustedResponse.encode({ rc: r.rc, certLen: r.len, data }, c.le));
}

/** READTRUSTED_DMA: the client range is checked first, the certificate is written into it after the read. */
export async function readTrustedDma(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  if (req.payload.length !== CertReadTrustedDmaRequest.size) return simple(c, WhError.ABORTED);
  const dma = c.ctx.dma;
  if (!dma) return simple(c, WhError.NOTIMPL);
  const r = CertReadTrustedDmaRequest.decode(req.payload, c.le)!;
  const mapped = dma.check(r.certAddr, r.certLen);
  if (mapped !== WhError.OK) return simple(c, mapped);
  const d = await c.ctx.owner.call(c.ctx.session.sessionId, 'cert.readTrusted', { id: r.id, capacity: r.certLen, maxCertSize: c.maxCertSize });
  if (d.rc !== WhError.OK || !d.data) return simple(c, d.rc);
  return simple(c, await dma.write(r.certAddr, d.data));
}

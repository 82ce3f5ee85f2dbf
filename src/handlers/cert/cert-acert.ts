import { acertAnswer, type VerifyAcertArgs } from '../../cert/acert.js';
import { CertJob } from '../../cert/jobs.js';
import { WhError } from '../../errors.js';
import { CertVerifyAcertRequest, CertVerifyDmaRequest } from '../../protocol/messages/cert.js';
import type { HandlerReply, HandlerRequest } from '../handler-types.js';
import { runJob, simple, type CertContext } from './cert-context.js';

/** The root in one owner message (absent → NOTFOUND), the signature check on the engine. */
async function verifyAcert(c: CertContext, rootId: number, acert: Uint8Array): Promise<number> {
  const root = await c.ctx.owner.call(c.ctx.session.sessionId, 'cert.readRoot', { id: rootId, maxCertSize: c.maxCertSize });
  if (root.rc !== WhError.OK) return root.rc;
  const rc = await runJob<number>(c, CertJob.VERIFY_ACERT, { root: root.value, acert } satisfies VerifyAcertArgs, acert.length);
  return typeof rc === 'number' ? acertAnswer(rc) : WhError.NOTIMPL;
}

/** VERIFY_ACERT: the 8-byte header, then the attribute certificate. */
export async function verifyAcertRequest(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const r = CertVerifyAcertRequest.decode(req.payload, c.le);
  if (!r) return simple(c, WhError.ABORTED);
  if (r.certLen > r.data.length) return simple(c, WhError.BADARGS);
  return simple(c, await verifyAcert(c, r.rootId, r.data.subarray(0, r.certLen)));
}

/** VERIFY_ACERT_DMA: VERIFY_DMA's struct, of which only address, length and root are used. */
export async function verifyAcertDmaRequest(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  if (req.payload.length !== CertVerifyDmaRequest.size) return simple(c, WhError.ABORTED);
  const dma = c.ctx.dma;
  if (!dma) return simple(c, WhError.NOTIMPL);
  const r = CertVerifyDmaRequest.decode(req.payload, c.le)!;
  const acert = await dma.read(r.certAddr, r.certLen);
  if (acert.rc !== WhError.OK) return simple(c, acert.rc);
  return simple(c, await verifyAcert(c, r.rootId, acert.value));
}

import type { CryptoEngine } from '../../crypto/engine.js';
import { WhError } from '../../errors.js';
import { CertAction, CertSetEnabledRequest } from '../../protocol/messages/cert.js';
import { EMPTY, type GroupHandler, type HandlerReply, type HandlerRequest } from '../handler-types.js';
import { verifyAcertDmaRequest, verifyAcertRequest } from './cert-acert.js';
import { simple, type CertContext, type CertHandlerOptions } from './cert-context.js';
import { addTrusted, addTrustedDma, eraseTrusted, readTrusted, readTrustedDma } from './cert-trusted.js';
import { verifyDmaRequest, verifyMultiRootRequest, verifyRequest } from './cert-verify.js';

export type { CertHandlerOptions } from './cert-context.js';

async function cacheCall(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const { sessionId, localCache: local } = c.ctx.session;
  if (req.action === CertAction.VERIFY_CACHE_CLEAR) return simple(c, (await c.ctx.owner.call(sessionId, 'cert.cacheClear', { local })).rc);
  if (req.payload.length !== CertSetEnabledRequest.size) return simple(c, WhError.ABORTED);
  const enable = CertSetEnabledRequest.decode(req.payload, c.le)!.enable !== 0;
  return simple(c, (await c.ctx.owner.call(sessionId, 'cert.cacheSetEnabled', { local, enable })).rc);
}

/**
 * The CERT group (0x0C, spec-cert-she-custom 1) computing on `engine`: every action
 * that touches shared state is one owner message (VERIFY: a read message and, to
 * record what it verified, a commit message that re-checks the roots); parsing and
 * signature checks run on the engine. Unknown actions answer an empty payload.
 */
export function certHandler(engine: CryptoEngine, opts: CertHandlerOptions = {}): GroupHandler {
  const now = opts.now ?? Date.now;
  return async (ctx, req) => {
    const c: CertContext = { ctx, engine, now, maxCertSize: opts.maxCertSize ?? ctx.config.dataLen, le: req.header.littleEndian };
    switch (req.action) {
      case CertAction.INIT:
        return simple(c, (await ctx.owner.call(ctx.session.sessionId, 'cert.init', { local: ctx.session.localCache })).rc);
      case CertAction.ADDTRUSTED:
        return addTrusted(c, req);
      case CertAction.ERASETRUSTED:
        return eraseTrusted(c, req);
      case CertAction.READTRUSTED:
        return readTrusted(c, req);
      case CertAction.VERIFY:
        return verifyRequest(c, req);
      case CertAction.VERIFY_MULTI_ROOT:
        return verifyMultiRootRequest(c, req);
      case CertAction.VERIFY_CACHE_CLEAR:
      case CertAction.VERIFY_CACHE_SET_ENABLED:
        return cacheCall(c, req);
      case CertAction.ADDTRUSTED_DMA:
        return addTrustedDma(c, req);
      case CertAction.READTRUSTED_DMA:
        return readTrustedDma(c, req);
      case CertAction.VERIFY_DMA:
        return verifyDmaRequest(c, req, false);
      case CertAction.VERIFY_MULTI_ROOT_DMA:
        return verifyDmaRequest(c, req, true);
      case CertAction.VERIFY_ACERT:
        return verifyAcertRequest(c, req);
      case CertAction.VERIFY_ACERT_DMA:
        return verifyAcertDmaRequest(c, req);
      default:
        return EMPTY;
    }
  };
}

import type { CryptoEngine } from '../../crypto/engine.js';
import { SheExtendSeedRequest, SheKeyRequest, SheLoadKeyRequest, SheSetUidRequest, SheSizeRequest } from '../../protocol/messages/she.js';
import { SheAction, isSheAction } from '../../she/she-constants.js';
import { EMPTY, reply, type GroupHandler, type HandlerContext, type HandlerRequest } from '../handler-types.js';
import { sheBootUpdate } from './she-boot-update.js';
import { sheCipher, sheGenMac, sheVerifyMac } from './she-cipher.js';
import { exportRamKeyReply, getStatusReply, loadKeyReply, loadPlainKeyReply, rcReply, rndReply, statusReply } from './she-replies.js';
import { requestSizeOk } from './she-requests.js';

const ZERO16 = new Uint8Array(16);

/** The actions that are one owner message and nothing else: decode, call, encode. */
async function ownerOnly(ctx: HandlerContext, req: HandlerRequest): Promise<Uint8Array> {
  const le = req.header.littleEndian;
  const p = req.payload;
  const lessee = ctx.session.sessionId;
  const sizeOk = requestSizeOk(req.action, p, le, ctx.config.dataLen);
  const who = { local: ctx.session.localCache, user: ctx.session.clientId, sizeOk };
  const call = ctx.owner.call.bind(ctx.owner);
  switch (req.action) {
    case SheAction.SET_UID:
      return rcReply((await call(lessee, 'she.setUid', { ...who, uid: SheSetUidRequest.decode(p, le)?.uid ?? ZERO16 })).rc, le);
    case SheAction.SECURE_BOOT_INIT:
      return statusReply(await call(lessee, 'she.bootInit', { ...who, size: SheSizeRequest.decode(p, le)?.sz ?? 0 }), le);
    case SheAction.SECURE_BOOT_FINISH:
      return statusReply(await call(lessee, 'she.bootFinish', who), le);
    case SheAction.GET_STATUS:
      return getStatusReply(await call(lessee, 'she.getStatus', who), le);
    case SheAction.LOAD_KEY: {
      const r = SheLoadKeyRequest.decode(p, le);
      return loadKeyReply(await call(lessee, 'she.loadKey', { ...who, m1: r?.m1 ?? ZERO16, m2: r?.m2 ?? new Uint8Array(32), m3: r?.m3 ?? ZERO16 }), le);
    }
    case SheAction.LOAD_PLAIN_KEY:
      return loadPlainKeyReply((await call(lessee, 'she.loadPlainKey', { ...who, key: SheKeyRequest.decode(p, le)?.key ?? ZERO16 })).rc, le);
    case SheAction.EXPORT_RAM_KEY:
      return exportRamKeyReply(await call(lessee, 'she.exportRamKey', who), le);
    case SheAction.INIT_RND:
      return statusReply(await call(lessee, 'she.initRnd', who), le);
    case SheAction.RND:
      return rndReply(await call(lessee, 'she.rnd', who), le);
    default:
      return statusReply(await call(lessee, 'she.extendSeed', { ...who, entropy: SheExtendSeedRequest.decode(p, le)?.entropy ?? ZERO16 }), le);
  }
}

/**
 * The SHE group (0x07, spec-cert-she-custom 2). Every action is one atomic owner
 * operation that starts with the SHE gate; the cipher and MAC actions and the
 * secure-boot image chunks then compute on `engine`, outside the owner. Every rc
 * is a SHE code (wolfHSM turns any other failure, a wrong size included, into
 * GENERAL_ERROR; the operations answer SHE codes only). Unknown actions get an
 * empty payload.
 */
export function sheHandler(engine: CryptoEngine): GroupHandler {
  return async (ctx, req) => {
    if (!isSheAction(req.action)) return EMPTY;
    switch (req.action) {
      case SheAction.SECURE_BOOT_UPDATE:
        return reply(await sheBootUpdate(engine, ctx, req));
      case SheAction.ENC_ECB:
      case SheAction.ENC_CBC:
      case SheAction.DEC_ECB:
      case SheAction.DEC_CBC:
        return reply(await sheCipher(engine, ctx, req));
      case SheAction.GEN_MAC:
        return reply(await sheGenMac(engine, ctx, req));
      case SheAction.VERIFY_MAC:
        return reply(await sheVerifyMac(engine, ctx, req));
      default:
        return reply(await ownerOnly(ctx, req));
    }
  };
}

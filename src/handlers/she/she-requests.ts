import { SheBootUpdateRequest, SheCbcRequest, SheCipherResponse, SheEcbRequest, SheGenMacRequest, SheVerifyMacRequest } from '../../protocol/messages/she.js';
import { SheAction } from '../../she/she-constants.js';

const sizeOf = (le: boolean, payload: Uint8Array, at: number) =>
  payload.length >= at + 4 ? new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(at, le) : 0;

/** ENC/DEC: whole blocks of `sz` only; they must be present and the reply must fit in DATA_LEN. */
export function cipherLength(payload: Uint8Array, le: boolean): number {
  const sz = sizeOf(le, payload, 0);
  return sz - (sz % 16);
}

/**
 * wolfHSM's size rules per action (2.4, 2.7-2.11): exact sizes for the actions
 * without a body, minimum struct sizes, and data lengths that must be present and
 * fit in DATA_LEN (`dataLen`).
 */
export function requestSizeOk(action: number, payload: Uint8Array, le: boolean, dataLen: number): boolean {
  const n = payload.length;
  switch (action) {
    case SheAction.SET_UID:
    case SheAction.LOAD_PLAIN_KEY:
    case SheAction.EXTEND_SEED:
      return n >= 16;
    case SheAction.SECURE_BOOT_INIT:
      return n >= 8;
    case SheAction.SECURE_BOOT_UPDATE: {
      const sz = sizeOf(le, payload, 0);
      return n >= SheBootUpdateRequest.size && sz <= dataLen && n - SheBootUpdateRequest.size >= sz;
    }
    case SheAction.LOAD_KEY:
      return n >= 64;
    case SheAction.SECURE_BOOT_FINISH:
    case SheAction.GET_STATUS:
    case SheAction.EXPORT_RAM_KEY:
    case SheAction.INIT_RND:
    case SheAction.RND:
      return n === 0;
    case SheAction.ENC_ECB:
    case SheAction.DEC_ECB:
    case SheAction.ENC_CBC:
    case SheAction.DEC_CBC: {
      const head = action === SheAction.ENC_ECB || action === SheAction.DEC_ECB ? SheEcbRequest.size : SheCbcRequest.size;
      const len = cipherLength(payload, le);
      return n >= head && len <= dataLen && n - head >= len && SheCipherResponse.size + len <= dataLen;
    }
    case SheAction.GEN_MAC: {
      const sz = sizeOf(le, payload, 4);
      return n >= SheGenMacRequest.size && sz <= dataLen && n - SheGenMacRequest.size >= sz;
    }
    case SheAction.VERIFY_MAC: {
      const total = sizeOf(le, payload, 4) + sizeOf(le, payload, 8);
      return n >= SheVerifyMacRequest.size && total <= dataLen && n - SheVerifyMacRequest.size >= total;
    }
    default:
      return false;
  }
}

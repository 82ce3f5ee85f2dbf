import { WhError, type WhRc } from '../errors.js';
import { SHE_UID_SIZE, SheAction, SheSreg } from './she-constants.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { SbState, type SheState } from './she-state.js';

/** SET_UID (2.3): once per server lifetime. */
export function setUid(c: SheCtx, a: { uid: Uint8Array; sizeOk: boolean }): { readonly rc: WhRc } {
  const gate = sheGate(c.she, SheAction.SET_UID);
  if (gate !== WhError.OK) return { rc: gate };
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR };
  c.she.uid = a.uid.slice(0, SHE_UID_SIZE);
  return { rc: WhError.OK };
}

/** The status register (2.9). */
export function statusRegister(s: SheState): number {
  let sreg = 0;
  if (s.boot.cmacKeyFound) sreg |= SheSreg.SECURE_BOOT;
  if (s.boot.state === SbState.SUCCESS || s.boot.state === SbState.FAILURE) sreg |= SheSreg.BOOT_FINISHED;
  if (s.boot.state === SbState.SUCCESS) sreg |= SheSreg.BOOT_OK;
  if (s.rnd) sreg |= SheSreg.RND_INIT;
  return sreg;
}

/** GET_STATUS: always allowed; a request with a payload answers GENERAL_ERROR and sreg 0. */
export function getStatus(c: SheCtx, a: { sizeOk: boolean }): { readonly rc: WhRc; readonly sreg: number } {
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR, sreg: 0 };
  return { rc: WhError.OK, sreg: statusRegister(c.she) };
}

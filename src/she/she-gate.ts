import { WhError, type WhRc } from '../errors.js';
import type { KeystoreContext } from '../keystore/keystore.js';
import { SheAction, isBootAction } from './she-constants.js';
import { SbState, type SheState } from './she-state.js';

/** What a SHE operation sees inside one owner turn: SHE's global state, the keystore, the caller's client id. */
export interface SheCtx {
  readonly she: SheState;
  readonly keys: KeystoreContext;
  /** The USER of the caller's SHE key ids (its client id). */
  readonly user: number;
}

/**
 * The check before every action (2.3): GET_STATUS always passes; SET_UID only
 * before a UID is set; everything else needs the UID, and everything but the
 * secure-boot actions needs a successful boot. A refusal is SEQUENCE_ERROR.
 */
export function sheGate(s: SheState, action: number): WhRc {
  if (action === SheAction.GET_STATUS) return WhError.OK;
  if (action === SheAction.SET_UID) return s.uid ? WhError.SHE_SEQUENCE_ERROR : WhError.OK;
  if (!s.uid) return WhError.SHE_SEQUENCE_ERROR;
  if (!isBootAction(action) && s.boot.state !== SbState.SUCCESS) return WhError.SHE_SEQUENCE_ERROR;
  return WhError.OK;
}

import { WhError, type WhRc } from '../errors.js';
import { SheAction } from './she-constants.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { readSheKey, sheKeyId } from './she-keys.js';

/** The key of a cipher or MAC action, copied out for the engine. */
export interface UseKeyAnswer {
  readonly rc: WhRc;
  readonly key?: Uint8Array;
}

const KEY_ACTIONS: ReadonlySet<number> = new Set([
  SheAction.ENC_ECB,
  SheAction.ENC_CBC,
  SheAction.DEC_ECB,
  SheAction.DEC_CBC,
  SheAction.GEN_MAC,
  SheAction.VERIFY_MAC,
]);

/**
 * The owner's part of ENC/DEC ECB/CBC, GEN_MAC and VERIFY_MAC (2.11): gate, the
 * request's size verdict, then the slot read (any slot, cache first); a missing
 * key or one longer than 16 bytes is KEY_NOT_AVAILABLE. The cipher or MAC itself
 * runs outside the owner on the copy.
 */
export function useKey(c: SheCtx, a: { action: number; slot: number; sizeOk: boolean }): UseKeyAnswer {
  if (!KEY_ACTIONS.has(a.action)) return { rc: WhError.SHE_GENERAL_ERROR };
  const gate = sheGate(c.she, a.action);
  if (gate !== WhError.OK) return { rc: gate };
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR };
  const key = readSheKey(c.keys, sheKeyId(c.user, a.slot));
  if (key.rc !== WhError.OK) return { rc: WhError.SHE_KEY_NOT_AVAILABLE };
  return { rc: WhError.OK, key: key.value.data };
}

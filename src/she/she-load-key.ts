import { WhError, type WhRc } from '../errors.js';
import { makeMetadata } from '../nvm/metadata.js';
import { authSlotOf, counterOf, openKeyUpdate, proofMessages, storedFlagsOf, targetSlotOf } from './key-update.js';
import { SHE_KEY_SIZE, SHE_UID_SIZE, SheAction, SheFlag, SheSlot } from './she-constants.js';
import { sameBytes } from './she-crypto.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { sheKeyMeta, sheLabel } from './she-label.js';
import { cacheSheKey, readSheKey, sheKeyId, writeSheKeyNvm } from './she-keys.js';

export interface LoadKeyAnswer {
  readonly rc: WhRc;
  /** Present on success only (a failed LOAD_KEY answers zeros). */
  readonly m4?: Uint8Array;
  readonly m5?: Uint8Array;
}

const failed = (rc: WhRc): LoadKeyAnswer => ({ rc });

/**
 * LOAD_KEY (2.6) as one atomic step: authenticate M1–M3 with the auth slot, then
 * check the target slot (write protection, UID or wildcard, strictly increasing
 * counter) and store the new key with its counter and flags, all on the same
 * snapshot. Two updates of one slot can never both pass the counter check.
 */
export function loadKey(c: SheCtx, a: { m1: Uint8Array; m2: Uint8Array; m3: Uint8Array; sizeOk: boolean }): LoadKeyAnswer {
  const gate = sheGate(c.she, SheAction.LOAD_KEY);
  if (gate !== WhError.OK) return failed(gate);
  if (!a.sizeOk) return failed(WhError.SHE_GENERAL_ERROR);
  const uid = c.she.uid!;
  const authSlot = authSlotOf(a.m1);
  const targetSlot = targetSlotOf(a.m1);
  const auth = readSheKey(c.keys, sheKeyId(c.user, authSlot), 2 * SHE_KEY_SIZE);
  if (auth.rc !== WhError.OK) return failed(WhError.SHE_GENERAL_ERROR);
  if (auth.value.data.length !== SHE_KEY_SIZE) return failed(WhError.SHE_KEY_INVALID);
  const plain = openKeyUpdate(auth.value.data, a.m1, a.m2, a.m3);
  if (!plain) return failed(WhError.SHE_KEY_UPDATE_ERROR);

  const targetId = sheKeyId(c.user, targetSlot);
  const target = readSheKey(c.keys, targetId, 2 * SHE_KEY_SIZE);
  if (target.rc !== WhError.OK && target.rc !== WhError.NOTFOUND) return failed(WhError.SHE_KEY_INVALID);
  const existing = target.rc === WhError.OK ? target.value : null;
  if (existing && existing.data.length !== SHE_KEY_SIZE) return failed(WhError.SHE_KEY_INVALID);
  const stored = existing ? sheKeyMeta(existing.meta.label) : { counter: 0, flags: 0 };
  if (stored.flags & SheFlag.WRITE_PROTECT) return failed(WhError.SHE_WRITE_PROTECTED);
  const m1Uid = a.m1.subarray(0, SHE_UID_SIZE);
  if (m1Uid.every((b) => b === 0)) {
    if (!(stored.flags & SheFlag.WILDCARD)) return failed(WhError.SHE_KEY_UPDATE_ERROR);
  } else if (!sameBytes(m1Uid, uid)) return failed(WhError.SHE_KEY_UPDATE_ERROR);
  const counter = counterOf(plain);
  if (existing && counter <= stored.counter) return failed(WhError.SHE_KEY_UPDATE_ERROR);

  const newKey = plain.slice(SHE_KEY_SIZE);
  // The object keeps its access and NVM flags (wolfHSM rewrites the metadata it read); a new one gets 0 and 0.
  const meta = makeMetadata({
    id: targetId,
    access: existing?.meta.access ?? 0,
    flags: existing?.meta.flags ?? 0,
    len: SHE_KEY_SIZE,
    label: sheLabel(counter, storedFlagsOf(plain), existing?.meta.label),
  });
  const rc = targetSlot === SheSlot.RAM_KEY ? cacheSheKey(c.keys, meta, newKey) : writeSheKeyNvm(c.keys, meta, newKey);
  if (rc !== WhError.OK) return failed(WhError.SHE_KEY_UPDATE_ERROR);
  if (targetSlot === SheSlot.RAM_KEY) c.she.ramKeyPlain = true;
  return { rc: WhError.OK, ...proofMessages(uid, targetSlot, authSlot, newKey, counter) };
}

import { WhError, type WhRc } from '../errors.js';
import { makeMetadata } from '../nvm/metadata.js';
import { makeKeyUpdate, type KeyUpdateMessages } from './key-update.js';
import { SHE_KEY_SIZE, SheAction, SheSlot } from './she-constants.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { cacheSheKey, readSheKey, sheKeyId } from './she-keys.js';

/** LOAD_PLAIN_KEY (2.7): the 16 bytes become the cached RAM key (flags and label zero). */
export function loadPlainKey(c: SheCtx, a: { key: Uint8Array; sizeOk: boolean }): { readonly rc: WhRc } {
  const gate = sheGate(c.she, SheAction.LOAD_PLAIN_KEY);
  if (gate !== WhError.OK) return { rc: gate };
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR };
  const meta = makeMetadata({ id: sheKeyId(c.user, SheSlot.RAM_KEY), access: 0, flags: 0, len: SHE_KEY_SIZE });
  const rc = cacheSheKey(c.keys, meta, a.key.subarray(0, SHE_KEY_SIZE));
  if (rc !== WhError.OK) return { rc: WhError.SHE_GENERAL_ERROR };
  c.she.ramKeyPlain = true;
  return { rc: WhError.OK };
}

export type ExportRamKeyAnswer = { readonly rc: WhRc } & Partial<KeyUpdateMessages>;

/**
 * EXPORT_RAM_KEY (2.7): the RAM key wrapped as a key update of slot 14 authorised
 * by SECRET_KEY, counter 1, flags 0, so it can be loaded back with LOAD_KEY.
 */
export function exportRamKey(c: SheCtx, a: { sizeOk: boolean }): ExportRamKeyAnswer {
  const gate = sheGate(c.she, SheAction.EXPORT_RAM_KEY);
  if (gate !== WhError.OK) return { rc: gate };
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR };
  if (!c.she.ramKeyPlain) return { rc: WhError.SHE_KEY_INVALID };
  const secret = readSheKey(c.keys, sheKeyId(c.user, SheSlot.SECRET_KEY));
  if (secret.rc !== WhError.OK) return { rc: WhError.SHE_KEY_NOT_AVAILABLE };
  const ram = readSheKey(c.keys, sheKeyId(c.user, SheSlot.RAM_KEY));
  if (ram.rc !== WhError.OK) return { rc: WhError.SHE_KEY_NOT_AVAILABLE };
  const messages = makeKeyUpdate({
    uid: c.she.uid!,
    targetSlot: SheSlot.RAM_KEY,
    authSlot: SheSlot.SECRET_KEY,
    authKey: secret.value.data,
    newKey: ram.value.data,
    counter: 1,
    fid: 0,
  });
  return { rc: WhError.OK, ...messages };
}

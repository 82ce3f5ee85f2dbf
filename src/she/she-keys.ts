import { WhError, fail, ok, type Result, type WhRc } from '../errors.js';
import { cacheFor, cacheKey, type KeyMaterial, type KeystoreContext } from '../keystore/keystore.js';
import { KeyType, keyNumber, makeKeyId } from '../keystore/key-id.js';
import { makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { SHE_KEY_SIZE, SheSlot } from './she-constants.js';

/**
 * SHE key slots on the keystore (2.1): TYPE SHE ids `0x2000 | user<<8 | slot`.
 * Plain synchronous functions on one keystore snapshot; the owner runs them.
 */

/** The internal id of `slot` (masked to 8 bits, as wolfHSM does) for client `user`. */
export const sheKeyId = (user: number, slot: number): number => makeKeyId(KeyType.SHE, user, slot & 0xff);

/**
 * wolfHSM's ReadKey for SHE slots: the cached copy if there is one, NVM otherwise;
 * an absent MASTER_ECU_KEY reads as 16 zero bytes with zero flags. Unlike wolfHSM,
 * an NVM read is not copied into the cache: SHE writes its NVM slots directly, and a
 * cached copy would go stale (docs/deviations.md). `capacity` as ReadKey's buffer
 * size: a longer key is NOSPACE.
 */
export function readSheKey(ks: KeystoreContext, id: number, capacity: number = SHE_KEY_SIZE): Result<KeyMaterial> {
  const cache = cacheFor(ks, id);
  const slot = cache.find(id);
  if (slot?.meta) {
    if (slot.meta.len > capacity) return fail(WhError.NOSPACE);
    return ok({ meta: { ...slot.meta, label: slot.meta.label.slice() }, data: cache.data(slot).slice() });
  }
  const m = ks.nvm ? ks.nvm.getMetadata(id) : fail<NvmMetadata>(WhError.NOTFOUND);
  if (m.rc === WhError.NOTFOUND && keyNumber(id) === SheSlot.MASTER_ECU_KEY) {
    return ok({ meta: makeMetadata({ id, access: 0, flags: 0, len: SHE_KEY_SIZE }), data: new Uint8Array(SHE_KEY_SIZE) });
  }
  if (m.rc !== WhError.OK) return m;
  if (m.value.len > capacity) return fail(WhError.NOSPACE);
  const data = ks.nvm!.read(id, 0, m.value.len);
  return data.rc === WhError.OK ? ok({ meta: m.value, data: data.value }) : data;
}

/** A slot written to NVM directly (no compaction retry, as wolfHSM); any cached copy is dropped so reads see the new one. */
export function writeSheKeyNvm(ks: KeystoreContext, meta: NvmMetadata, data: Uint8Array): WhRc {
  if (!ks.nvm) return WhError.BADARGS;
  const rc = ks.nvm.addObject(meta, data, meta.len);
  if (rc !== WhError.OK) return rc;
  const cache = cacheFor(ks, meta.id);
  const slot = cache.find(meta.id);
  if (slot) cache.wipe(slot);
  return WhError.OK;
}

/** A slot that lives in the key cache only (the RAM key): unchecked CacheKey, replacing any copy. */
export function cacheSheKey(ks: KeystoreContext, meta: NvmMetadata, data: Uint8Array): WhRc {
  return cacheKey(ks, meta, data, false);
}

import { WhError, fail, ok, type Result } from '../errors.js';
import { NvmFlags, makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { enforceKeyUsage } from './key-policy.js';
import { KeyType, isUnassignedKeyId, keyType } from './key-id.js';
import { cacheKeyAssigning, checkKeyPolicy, freshenKey, readKey, type KeyMaterial, type KeystoreContext } from './keystore.js';

/**
 * How crypto handlers use stored keys (spec-keys-crypto 1.3). Each function is one
 * compound step that must not interleave with any other keystore step: the owner
 * runs it in one turn and hands out copies.
 */

/** ReadKeyEnforce (copy-out path: AES, CMAC, KDF inputs): copy, then check usage on that same copy. */
export function readKeyForUse(ctx: KeystoreContext, id: number, usage: number, capacity: number): Result<KeyMaterial> {
  if (isUnassignedKeyId(id)) return fail(WhError.BADARGS);
  const key = readKey(ctx, id, capacity);
  if (key.rc !== WhError.OK) return key;
  const rc = enforceKeyUsage(key.value.meta.flags, usage);
  if (rc !== WhError.OK) {
    key.value.data.fill(0);
    return fail(rc);
  }
  return key;
}

/** Load-for-use (asymmetric keys, KEKs, EXPORT_PUBLIC): freshen into the cache, check usage, copy out. */
export function loadKeyForUse(ctx: KeystoreContext, id: number, usage: number): Result<KeyMaterial> {
  if (isUnassignedKeyId(id)) return fail(WhError.BADARGS);
  const slot = freshenKey(ctx, id);
  if (slot.rc !== WhError.OK) return slot;
  const meta = slot.value.meta!;
  const rc = enforceKeyUsage(meta.flags, usage);
  if (rc !== WhError.OK) return fail(rc);
  return ok({ meta, data: slot.value.buf.slice(0, meta.len) });
}

/**
 * EXPORT_PUBLIC's locked part (spec-keys-crypto 9): the public-export policy (absent
 * → NOTFOUND, TRUSTED → ACCESS; NONEXPORTABLE does not apply, the public half is not
 * secret), freshen, copy. The caller encodes only the public part of the copy.
 */
export function loadKeyForExportPublic(ctx: KeystoreContext, id: number): Result<KeyMaterial> {
  const rc = checkKeyPolicy(ctx, 'exportPublic', id);
  if (rc !== WhError.OK) return fail(rc);
  return loadKeyForUse(ctx, id, 0);
}

/**
 * Inserts a key made by a crypto handler (keygen, KDF and key-agreement outputs):
 * a free number when the id's number is 0, the checked slot path, flags without
 * TRUSTED, access 0xFFFF (spec-keys-crypto 1.5). Answers the internal id.
 * `reserve` is the slot size wolfHSM asks for when it is larger than the key
 * (RSA and ECC keys always take a big slot, spec-crypto 9.1, 10.1).
 */
export function cacheGeneratedKey(ctx: KeystoreContext, id: number, flags: number, label: Uint8Array, data: Uint8Array, reserve = 0): Result<number> {
  if (keyType(id) === KeyType.HW) return fail(WhError.ACCESS);
  const meta: NvmMetadata = makeMetadata({ id, access: 0xffff, flags: flags & ~NvmFlags.TRUSTED, len: data.length, label });
  return cacheKeyAssigning(ctx, meta, data, reserve);
}

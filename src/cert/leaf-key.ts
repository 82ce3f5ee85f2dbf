import type { WhRc } from '../errors.js';
import { getUniqueId, cacheFor, cacheKey, type KeystoreContext } from '../keystore/keystore.js';
import { isUnassignedKeyId } from '../keystore/key-id.js';
import { NVM_ACCESS_ANY, NvmFlags, makeMetadata } from '../nvm/metadata.js';
import { CERT_PUBKEY_LABEL } from './cert-codes.js';

/**
 * Caches a verified leaf's SubjectPublicKeyInfo (spec 1.3): a free number when the
 * id's number is 0, the checked slot path with a big slot whatever the key's size,
 * flags without TRUSTED, access ANY, label "cert_pubkey". Answers the id even on
 * failure once one was picked (the C server reports it too).
 */
export function cacheLeafKey(ctx: KeystoreContext, keyId: number, cachedKeyFlags: number, spki: Uint8Array): { rc: WhRc; keyId: number } {
  let id = keyId;
  if (isUnassignedKeyId(id)) {
    const u = getUniqueId(ctx, id);
    if (u.rc !== 0) return { rc: u.rc, keyId: id };
    id = u.value;
  }
  const meta = makeMetadata({ id, access: NVM_ACCESS_ANY, flags: cachedKeyFlags & ~NvmFlags.SERVER_ONLY, len: spki.length, label: CERT_PUBKEY_LABEL });
  return { rc: cacheKey(ctx, meta, spki, true, cacheFor(ctx, id).config.bigBufSize), keyId: id };
}

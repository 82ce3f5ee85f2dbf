import { WhError, fail, ok, type Result } from '../errors.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import { cacheFor, cacheKey, type KeystoreContext } from './keystore.js';

/**
 * KEYUNWRAPCACHE's insert (spec-keys-crypto 7, steps 7 and 11), as one step:
 * an id already in its routed cache is refused with ABORTED (an unwrap never
 * overwrites), else the unchecked cache insert (no policy gate; NOSPACE when no
 * slot is free). The entry is dirty; a WRAPPED id can never be committed.
 * Answers the internal id. (No SHE counter rule: this server has no SHE keys.)
 */
export function cacheUnwrappedKey(ctx: KeystoreContext, meta: NvmMetadata, data: Uint8Array): Result<number> {
  if (cacheFor(ctx, meta.id).find(meta.id)) return fail(WhError.ABORTED);
  const rc = cacheKey(ctx, meta, data, false);
  return rc === WhError.OK ? ok(meta.id) : fail(rc);
}

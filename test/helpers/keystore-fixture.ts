import { KeyCache, type KeyCacheConfig } from '../../src/keystore/key-cache.js';
import { DEFAULT_KEY_FEATURES, KeyType, makeKeyId, type KeyFeatures } from '../../src/keystore/key-id.js';
import type { KeystoreContext } from '../../src/keystore/keystore.js';
import { makeMetadata, type NvmMetadata } from '../../src/nvm/metadata.js';
import { ramNvm } from './nvm-fixture.js';

/** A keystore over a fresh RAM NVM with one global and one local cache. */
export function keystore(opts: { cache?: KeyCacheConfig; features?: KeyFeatures; noNvm?: boolean; objectCount?: number; partitionSize?: number } = {}) {
  const { nvm } = ramNvm({ partitionSize: opts.partitionSize ?? 16384, objectCount: opts.objectCount ?? 32 });
  const features = opts.features ?? DEFAULT_KEY_FEATURES;
  let counter = 0;
  const ctx: KeystoreContext = {
    nvm: opts.noNvm ? null : nvm,
    global: features.globalKeys ? new KeyCache(opts.cache, 'global') : null,
    local: new KeyCache(opts.cache, 'local'),
    features,
    random: (n) => Uint8Array.from({ length: n }, () => ++counter & 0xff),
  };
  return { ctx, nvm };
}

/** A crypto key id of client `user` (0 = global). */
export const kid = (n: number, user = 1, type: number = KeyType.CRYPTO) => makeKeyId(type, user, n);

export const keyMeta = (id: number, len: number, flags = 0, label = 'k'): NvmMetadata => makeMetadata({ id, len, flags, label });

export const bytes = (len: number, v = 1) => Uint8Array.from({ length: len }, (_, i) => (v + i) & 0xff);

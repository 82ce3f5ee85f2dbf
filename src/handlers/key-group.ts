import type { CryptoEngine } from '../crypto/engine.js';
import type { GroupHandler } from './handler-types.js';
import { handleKey } from './key.js';
import { handleKeyExportPublic } from './key-export-public.js';
import { handleKeyWrap } from './key-wrap.js';

/** The KEY group with its crypto actions (wrap, unwrap, public export) computed on `engine`; the rest as `handleKey`. */
export function keyGroupHandler(engine: CryptoEngine): GroupHandler {
  return async (ctx, req) => (await handleKeyExportPublic(ctx, req, engine)) ?? (await handleKeyWrap(ctx, req, engine)) ?? handleKey(ctx, req);
}

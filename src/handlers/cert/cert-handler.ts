import type { CryptoEngine } from '../../crypto/engine.js';
import { EMPTY, type GroupHandler } from '../handler-types.js';

/** The CERT group (0x0C) computing on `engine`. */
export function certHandler(_engine: CryptoEngine): GroupHandler {
  return async () => EMPTY;
}

import type { CryptoEngine } from '../../crypto/engine.js';
import { EMPTY, type GroupHandler } from '../handler-types.js';

/** The SHE group (0x07) computing on `engine`. */
export function sheHandler(_engine: CryptoEngine): GroupHandler {
  return async () => EMPTY;
}

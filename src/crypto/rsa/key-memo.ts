import { createHash } from 'node:crypto';
import { decodeRsaKey, type RsaKeyResult } from './key.js';

/** Decoded keys kept per thread (a handful: the keys a client is using right now). */
const MEMO_SIZE = 16;
const memo = new Map<string, RsaKeyResult>();

/**
 * decodeRsaKey with a small per-thread memo keyed by the DER's SHA-256: turning DER
 * into node KeyObjects costs more than a 2048-bit private operation, and the same
 * stored key is used request after request. Only the digest is a map key; the
 * decoded key lives as long as it is among the last MEMO_SIZE used. Every request
 * still brings its own copy of the bytes from the owner, so a key evicted or
 * replaced there is simply not asked for again (a replaced key has another digest).
 */
export function decodeRsaKeyMemo(der: Uint8Array): RsaKeyResult {
  const id = createHash('sha256').update(der).digest('base64');
  const hit = memo.get(id);
  if (hit) {
    memo.delete(id); // most recently used last
    memo.set(id, hit);
    return hit;
  }
  const decoded = decodeRsaKey(der);
  if (decoded.rc !== 0) return decoded;
  memo.set(id, decoded);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return decoded;
}

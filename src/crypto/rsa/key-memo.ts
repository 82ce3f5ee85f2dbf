import { KeyMemo } from '../key-memo.js';
import { decodeRsaKey, type RsaKeyResult } from './key.js';

/** Decoded RSA keys kept per thread (a handful: the keys clients are using right now). */
const memo = new KeyMemo<RsaKeyResult>(16, decodeRsaKey, (r) => r.rc === 0);

/** decodeRsaKey through the per-thread memo: node's DER import costs more than a 2048-bit private operation. */
export const decodeRsaKeyMemo = (der: Uint8Array): RsaKeyResult => memo.get(der);

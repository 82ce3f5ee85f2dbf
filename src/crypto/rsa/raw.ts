import { constants, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt } from 'node:crypto';
import { WcError } from '../wolfcrypt.js';
import { bigintFromBytes, bigintToBytes } from './key.js';
import { decodeRsaKeyMemo } from './key-memo.js';
import { RsaOp } from './messages.js';

export type RsaFunctionResult = { readonly rc: 0; readonly out: Uint8Array } | { readonly rc: number };

const NO_PADDING = constants.RSA_NO_PADDING;

/**
 * wc_RsaFunction on a stored key (spec-crypto 9.2): raw m^e or m^d mod n, k bytes
 * out. The checks come in wolfCrypt's order: decode, empty input or output buffer,
 * input longer than k, output buffer shorter than k. An input shorter than k is a
 * big-endian number; one ≥ n is reduced mod n first, as wolfCrypt's exponentiation
 * does (OpenSSL, which computes here, would refuse it).
 */
export function rsaFunction(der: Uint8Array, op: number, input: Uint8Array, outLen: number): RsaFunctionResult {
  const decoded = decodeRsaKeyMemo(der);
  if (decoded.rc !== 0 || !('key' in decoded)) return { rc: decoded.rc };
  const { privateKey, publicKey, n, size: k } = decoded.key;
  if (input.length === 0 || outLen === 0) return { rc: WcError.BAD_FUNC_ARG };
  if (input.length > k) return { rc: WcError.BAD_FUNC_ARG };
  if (outLen < k) return { rc: WcError.RSA_BUFFER_E };
  const isPrivate = op === RsaOp.PRIVATE_ENCRYPT || op === RsaOp.PRIVATE_DECRYPT;
  // wolfCrypt would exponentiate with d = 0 and answer noise; refuse instead (deviations.md).
  if (isPrivate && !privateKey) return { rc: WcError.BAD_FUNC_ARG };
  const m = bigintToBytes(bigintFromBytes(input) % n, k);
  try {
    let out: Buffer;
    if (op === RsaOp.PUBLIC_ENCRYPT) out = publicEncrypt({ key: publicKey, padding: NO_PADDING }, m);
    else if (op === RsaOp.PUBLIC_DECRYPT) out = publicDecrypt({ key: publicKey, padding: NO_PADDING }, m);
    else if (op === RsaOp.PRIVATE_ENCRYPT) out = privateEncrypt({ key: privateKey!, padding: NO_PADDING }, m);
    else if (op === RsaOp.PRIVATE_DECRYPT) out = privateDecrypt({ key: privateKey!, padding: NO_PADDING }, m);
    else return { rc: WcError.BAD_FUNC_ARG };
    // OpenSSL answers k bytes for RSA_NO_PADDING; left-pad anyway, the wire wants exactly k.
    const result = new Uint8Array(k);
    result.set(out.subarray(Math.max(0, out.length - k)), k - Math.min(k, out.length));
    return { rc: 0, out: result };
  } catch {
    // A key node parsed but cannot compute with (e.g. an even modulus): wolfCrypt refuses it too.
    return { rc: WcError.BAD_FUNC_ARG };
  } finally {
    m.fill(0);
  }
}

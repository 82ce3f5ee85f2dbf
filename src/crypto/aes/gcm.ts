import { createCipheriv, createDecipheriv, timingSafeEqual, type CipherGCMTypes } from 'node:crypto';
import { WcError } from '../wolfcrypt.js';
import { adopt, aesCipherName } from './block.js';

/** wolfCrypt's bounds: WOLFSSL_MIN_AUTH_TAG_SZ (12) for encryption, up to one block; decryption accepts 1..16. */
export const GCM_MIN_ENCRYPT_TAG = 12;
export const GCM_MAX_TAG = 16;

export interface AesGcmEncryptArgs {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array;
  readonly input: Uint8Array;
  readonly tagSize: number;
}

export interface AesGcmDecryptArgs {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly aad: Uint8Array;
  readonly input: Uint8Array;
  readonly tag: Uint8Array;
}

export type AesGcmEncryptResult = { readonly rc: 0; readonly output: Uint8Array; readonly tag: Uint8Array } | { readonly rc: number };
export type AesGcmDecryptResult = { readonly rc: 0; readonly output: Uint8Array } | { readonly rc: number };

const gcmName = (key: Uint8Array) => aesCipherName(key, 'gcm') as CipherGCMTypes;

/** Ciphertext and the full 16-byte tag; any IV length (node hashes a non-96-bit IV with GHASH, as the GCM spec says). */
function seal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, input: Uint8Array): { output: Uint8Array; tag: Uint8Array } {
  const c = createCipheriv(gcmName(key), key, iv, { authTagLength: GCM_MAX_TAG });
  c.setAAD(aad);
  const head = c.update(input);
  const tail = c.final();
  return { output: adopt(tail.length ? Buffer.concat([head, tail]) : head), tag: adopt(c.getAuthTag()) };
}

/** wc_AesGcmEncrypt: tag of 12..16 bytes (a prefix of the full tag), IV of at least one byte. */
export function aesGcmEncrypt({ key, iv, aad, input, tagSize }: AesGcmEncryptArgs): AesGcmEncryptResult {
  if (iv.length === 0 || tagSize < GCM_MIN_ENCRYPT_TAG || tagSize > GCM_MAX_TAG) return { rc: WcError.BAD_FUNC_ARG };
  const { output, tag } = seal(key, iv, aad, input);
  return { rc: 0, output, tag: tag.slice(0, tagSize) };
}

/**
 * wc_AesGcmDecrypt: 1..16 tag bytes, compared as a prefix of the full tag
 * (node only verifies some lengths, so the tag is recomputed over the ciphertext);
 * a mismatch is AES_GCM_AUTH_E with no output.
 */
export function aesGcmDecrypt({ key, iv, aad, input, tag }: AesGcmDecryptArgs): AesGcmDecryptResult {
  if (iv.length === 0 || tag.length === 0 || tag.length > GCM_MAX_TAG) return { rc: WcError.BAD_FUNC_ARG };
  // GCM's keystream is CTR: update() alone yields the plaintext; re-sealing it yields the same ciphertext and its tag.
  const d = createDecipheriv(gcmName(key), key, iv, { authTagLength: GCM_MAX_TAG });
  const output = adopt(d.update(input));
  const expected = seal(key, iv, aad, output).tag.subarray(0, tag.length);
  if (!timingSafeEqual(expected, tag)) {
    output.fill(0);
    return { rc: WcError.AES_GCM_AUTH_E };
  }
  return { rc: 0, output };
}

import { createHmac } from 'node:crypto';
import { WcError, WcHash } from '../wolfcrypt.js';

/** The HMAC digests HKDF accepts, by wolfCrypt hash type (the SHA-2 family). */
const HKDF_DIGESTS: Readonly<Record<number, { name: string; size: number }>> = {
  [WcHash.SHA224]: { name: 'sha224', size: 28 },
  [WcHash.SHA256]: { name: 'sha256', size: 32 },
  [WcHash.SHA384]: { name: 'sha384', size: 48 },
  [WcHash.SHA512]: { name: 'sha512', size: 64 },
};

export interface KdfOutput {
  /** 0, or the wolfCrypt code wc_HKDF / wc_KDA_KDF_twostep_cmac would return. */
  readonly rc: number;
  readonly out: Uint8Array;
}

/**
 * RFC 5869 HKDF (extract, then expand), as wc_HKDF: an empty salt means HashLen
 * zeros; an unknown hash type or more than 255 blocks is BAD_FUNC_ARG. Written on
 * HMAC rather than node's hkdfSync, which caps `info` at 1024 bytes.
 */
export function hkdf(hashType: number, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, outSz: number): KdfOutput {
  const digest = HKDF_DIGESTS[hashType];
  if (!digest || outSz > 255 * digest.size) return { rc: WcError.BAD_FUNC_ARG, out: new Uint8Array(0) };
  const prk = createHmac(digest.name, salt.length > 0 ? salt : new Uint8Array(digest.size)).update(ikm).digest();
  const out = new Uint8Array(outSz);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 1, at = 0; at < outSz; i++) {
    block = createHmac(digest.name, prk).update(block).update(info).update(Uint8Array.of(i)).digest();
    out.set(block.subarray(0, outSz - at), at);
    at += block.length;
  }
  prk.fill(0);
  return { rc: 0, out };
}

import { WcError, WcHash } from '../wolfcrypt.js';

/** wolfCrypt hash types beyond `WcHash` that HashML-DSA accepts (wc_HashType). */
const WC_HASH_MD5 = 3;
const WC_HASH_SHA1 = 4;
const WC_HASH_SHAKE128 = 18;
const WC_HASH_SHAKE256 = 19;

/** The largest digest wolfCrypt's HashML-DSA copies into M' (WC_MAX_DIGEST_SIZE). */
const MAX_DIGEST = 64;

const nist = (last: number) => Uint8Array.of(0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, last);

/**
 * The hash OID (DER TLV) put into HashML-DSA's M', by wolfCrypt hash type: what
 * wolfCrypt's OID table gives for each hash it knows (the NIST hashAlgs arc, plus
 * SHA-1 and MD5, which its default build also resolves).
 */
const HASH_OID: Readonly<Record<number, Uint8Array>> = {
  [WC_HASH_MD5]: Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05),
  [WC_HASH_SHA1]: Uint8Array.of(0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a),
  [WcHash.SHA256]: nist(0x01),
  [WcHash.SHA384]: nist(0x02),
  [WcHash.SHA512]: nist(0x03),
  [WcHash.SHA224]: nist(0x04),
  [WcHash.SHA512_224]: nist(0x05),
  [WcHash.SHA512_256]: nist(0x06),
  [WcHash.SHA3_224]: nist(0x07),
  [WcHash.SHA3_256]: nist(0x08),
  [WcHash.SHA3_384]: nist(0x09),
  [WcHash.SHA3_512]: nist(0x0a),
  [WC_HASH_SHAKE128]: nist(0x0b),
  [WC_HASH_SHAKE256]: nist(0x0c),
};

/**
 * FIPS 204 message representative M' for the external interfaces: pure ML-DSA
 * (preHashType 0) `0 ‖ |ctx| ‖ ctx ‖ M`; HashML-DSA `1 ‖ |ctx| ‖ ctx ‖ OID(hash) ‖ digest`,
 * where the client has already hashed and `message` is the digest. The digest length
 * is not checked against the hash (wolfCrypt does not either).
 */
export function messageRepresentative(message: Uint8Array, context: Uint8Array, preHashType: number): { rc: 0; m: Uint8Array } | { rc: number } {
  if (context.length > 255) return { rc: WcError.BAD_FUNC_ARG };
  let oid: Uint8Array = new Uint8Array(0);
  if (preHashType !== 0) {
    const known = HASH_OID[preHashType];
    if (!known) return { rc: WcError.BAD_FUNC_ARG };
    if (message.length > MAX_DIGEST) return { rc: WcError.BUFFER_E };
    oid = known;
  }
  const m = new Uint8Array(2 + context.length + oid.length + message.length);
  m[0] = preHashType === 0 ? 0 : 1;
  m[1] = context.length;
  m.set(context, 2);
  m.set(oid, 2 + context.length);
  m.set(message, 2 + context.length + oid.length);
  return { rc: 0, m };
}

/** EMSA-PKCS1-v1_5 (RFC 8017 9.2): the encoded block a PKCS#1 v1.5 signature exponentiates. */

export type RsaHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** DER of DigestInfo up to the digest, per hash (RFC 8017 9.2 note 1). */
const DIGEST_INFO: Readonly<Record<RsaHash, string>> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const DIGEST_SIZE: Readonly<Record<RsaHash, number>> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** 00 01 FF..FF 00 DigestInfo(digest), k bytes; null when the digest has the wrong size or k is too small. */
export function emsaPkcs1v15(hash: RsaHash, digest: Uint8Array, k: number): Uint8Array | null {
  if (digest.length !== DIGEST_SIZE[hash]) return null;
  const t = Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest]);
  if (k < t.length + 11) return null;
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t.length - 1] = 0x00;
  em.set(t, k - t.length);
  return em;
}

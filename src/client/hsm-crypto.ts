import { Group, kind } from '../protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../protocol/messages/crypto-header.js';
import { StructWriter } from '../protocol/bytes.js';
import { WcAlgo } from '../crypto/wolfcrypt.js';
import type { NvmMetadata } from '../nvm/metadata.js';
import { aesCbc, aesCtr, aesEcb, aesGcmDecrypt, aesGcmEncrypt, type AesCbcOptions, type AesCtrOptions, type AesEcbOptions, type AesGcmOptions, type AesKeyRef } from './crypto/aes.js';
import { cmacFinal, cmacGenerate, cmacUpdate, type CmacClientState } from './crypto/cmac.js';
import { HsmHash, hsmDigest, type HashAlgorithm, type HashOptions } from './crypto/hash.js';
import { cmacKdf, hkdf, type CmacKdfParams, type HkdfParams, type KdfDestination } from './crypto/kdf.js';
import { dataUnwrap, dataWrap, keyUnwrapCache, keyUnwrapExport, keyWrap, keyWrapExport } from './crypto/keywrap.js';
import type { HsmClient } from './hsm-client.js';
import { Curve25519Client } from './crypto/curve25519.js';
import { EccClient } from './crypto/ecc.js';
import { Ed25519Client } from './crypto/ed25519.js';
import { MldsaClient } from './crypto/mldsa.js';
import { MlkemClient } from './crypto/mlkem.js';
import { RsaClient } from './crypto/rsa.js';

/**
 * The crypto calls of an HsmClient (`client.crypto`), speaking the C client's CRYPTO
 * and KEY-wrap requests. Keys are inline (`{ key }`) or stored on the server
 * (`{ keyId }`): a stored key never leaves the HSM, only the result does.
 */
export class HsmCryptoClient {
  readonly rsa: RsaClient;
  readonly ecc: EccClient;
  readonly curve25519: Curve25519Client;
  readonly ed25519: Ed25519Client;
  readonly mldsa: MldsaClient;
  readonly mlkem: MlkemClient;

  constructor(private readonly client: HsmClient) {
    this.rsa = new RsaClient(client);
    this.ecc = new EccClient(client);
    this.curve25519 = new Curve25519Client(client);
    this.ed25519 = new Ed25519Client(client);
    this.mldsa = new MldsaClient(client);
    this.mlkem = new MlkemClient(client);
  }

  /** Random bytes from the server's DRBG (one request answers at most DATA_LEN - 16; this loops). */
  async random(size: number): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    for (let off = 0; off < size; ) {
      const req = new StructWriter(16, true).set(0, CryptoRequestHeader.encode({ algoType: WcAlgo.RNG, algoSubType: 0, affinity: 0 }, true)).u32(12, size - off).bytes;
      const r = await this.client.request(kind(Group.CRYPTO, WcAlgo.RNG), req);
      const h = CryptoResponseHeader.decode(r.bytes, true);
      if (!h || h.rc !== 0) throw new Error(`RNG failed (${h?.rc ?? 'short answer'})`);
      const n = r.u32(12);
      if (n === 0) throw new Error('RNG answered no bytes');
      out.set(r.bytes.subarray(16, 16 + n), off);
      off += n;
    }
    return out;
  }

  aesEcb = (opts: AesKeyRef & AesEcbOptions) => aesEcb(this.client, opts);
  aesCbc = (opts: AesKeyRef & AesCbcOptions) => aesCbc(this.client, opts);
  aesCtr = (opts: AesKeyRef & AesCtrOptions) => aesCtr(this.client, opts);
  aesGcmEncrypt = (opts: AesKeyRef & AesGcmOptions & { readonly tagSize?: number }) => aesGcmEncrypt(this.client, opts);
  aesGcmDecrypt = (opts: AesKeyRef & AesGcmOptions & { readonly tag: Uint8Array }) => aesGcmDecrypt(this.client, opts);

  cmac = (opts: AesKeyRef & { readonly data: Uint8Array; readonly macSize?: number }) => cmacGenerate(this.client, opts);
  cmacUpdate = (opts: AesKeyRef & { readonly state: CmacClientState; readonly data: Uint8Array }) => cmacUpdate(this.client, opts);
  cmacFinal = (opts: AesKeyRef & { readonly state: CmacClientState; readonly macSize?: number }) => cmacFinal(this.client, opts);

  digest = (algorithm: HashAlgorithm, data: Uint8Array, options?: HashOptions) => hsmDigest(this.client, algorithm, data, options);
  /** A streaming hash whose state travels with every request, as wolfCrypt's. */
  hash = (algorithm: HashAlgorithm) => new HsmHash(this.client, algorithm);

  hkdf = (params: HkdfParams, to?: KdfDestination) => hkdf(this.client, params, to);
  cmacKdf = (params: CmacKdfParams, to?: KdfDestination) => cmacKdf(this.client, params, to);

  keyWrap = (p: { kekId: number; meta: NvmMetadata; key: Uint8Array }) => keyWrap(this.client, p);
  keyWrapExport = (p: { keyId: number; kekId: number; keyType?: number }) => keyWrapExport(this.client, p);
  keyUnwrapExport = (p: { kekId: number; blob: Uint8Array }) => keyUnwrapExport(this.client, p);
  keyUnwrapCache = (p: { kekId: number; blob: Uint8Array }) => keyUnwrapCache(this.client, p);
  dataWrap = (p: { kekId: number; data: Uint8Array }) => dataWrap(this.client, p);
  dataUnwrap = (p: { kekId: number; blob: Uint8Array }) => dataUnwrap(this.client, p);
}

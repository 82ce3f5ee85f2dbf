import { WcAlgo, WcCipher } from '../../crypto/wolfcrypt.js';
import {
  AES_IV_SIZE,
  AesBlockRequest,
  AesBlockResponse,
  AesCtrRequest,
  AesCtrResponse,
  AesGcmRequest,
  AesGcmResponse,
} from '../../protocol/messages/crypto-aes.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';
import { cryptoExchange, type CryptoResult } from './exchange.js';

/** A stored key (client-form id, number ≠ 0) or inline key bytes. */
export type AesKeyRef = { readonly keyId: number; readonly key?: undefined } | { readonly key: Uint8Array; readonly keyId?: undefined };

export type { CryptoResult } from './exchange.js';

const keyParts = (ref: AesKeyRef) => (ref.key ? { keyId: 0, inline: ref.key } : { keyId: ref.keyId ?? 0, inline: new Uint8Array(0) });

function need(what: string, data: Uint8Array, size: number): Uint8Array {
  if (data.length < size) throw new ProtocolError(`${what}: response ${data.length} bytes, expected ${size}`);
  return data;
}

export interface AesEcbOptions {
  readonly encrypt: boolean;
  readonly data: Uint8Array;
}

/** AES-ECB (wh_Client_AesEcb): whole blocks. */
export async function aesEcb(client: HsmClient, opts: AesKeyRef & AesEcbOptions): Promise<CryptoResult<{ data: Uint8Array }>> {
  const { keyId, inline } = keyParts(opts);
  const body = AesBlockRequest.encodeTail({ enc: opts.encrypt ? 1 : 0, keyLen: inline.length, sz: opts.data.length, keyId }, [opts.data, inline], true);
  const r = await cryptoExchange(client, WcAlgo.CIPHER, WcCipher.AES_ECB, body, AesBlockResponse);
  if (!('value' in r)) return r;
  return { rc: 0, data: need('AES-ECB', r.value.data, r.value.sz).slice(0, r.value.sz) };
}

export interface AesCbcOptions {
  readonly encrypt: boolean;
  readonly iv: Uint8Array;
  readonly data: Uint8Array;
}

/** AES-CBC (wh_Client_AesCbc): answers the output and the next IV (the chaining value to pass on). */
export async function aesCbc(client: HsmClient, opts: AesKeyRef & AesCbcOptions): Promise<CryptoResult<{ data: Uint8Array; iv: Uint8Array }>> {
  const { keyId, inline } = keyParts(opts);
  const body = AesBlockRequest.encodeTail({ enc: opts.encrypt ? 1 : 0, keyLen: inline.length, sz: opts.data.length, keyId }, [opts.data, inline, opts.iv], true);
  const r = await cryptoExchange(client, WcAlgo.CIPHER, WcCipher.AES_CBC, body, AesBlockResponse);
  if (!('value' in r)) return r;
  const tail = need('AES-CBC', r.value.data, r.value.sz + AES_IV_SIZE);
  return { rc: 0, data: tail.slice(0, r.value.sz), iv: tail.slice(r.value.sz, r.value.sz + AES_IV_SIZE) };
}

/** wolfCrypt's CTR state as the client keeps it between calls. */
export interface AesCtrClientState {
  readonly reg: Uint8Array;
  readonly tmp: Uint8Array;
  readonly left: number;
}

/** The state to start a CTR stream with: the initial counter block, no leftover keystream. */
export const aesCtrStart = (iv: Uint8Array): AesCtrClientState => ({ reg: new Uint8Array(iv), tmp: new Uint8Array(AES_IV_SIZE), left: 0 });

export interface AesCtrOptions {
  readonly state: AesCtrClientState;
  readonly data: Uint8Array;
  /** enc on the wire (default true, as wolfCrypt always sends): it only selects the stored key's usage flag. */
  readonly encrypt?: boolean;
}

/** AES-CTR (wh_Client_AesCtr): the state goes with each call and comes back advanced. */
export async function aesCtr(client: HsmClient, opts: AesKeyRef & AesCtrOptions): Promise<CryptoResult<{ data: Uint8Array; state: AesCtrClientState }>> {
  const { keyId, inline } = keyParts(opts);
  const { reg, tmp, left } = opts.state;
  const req = { enc: opts.encrypt === false ? 0 : 1, keyLen: inline.length, sz: opts.data.length, left, keyId };
  const r = await cryptoExchange(client, WcAlgo.CIPHER, WcCipher.AES_CTR, AesCtrRequest.encodeTail(req, [opts.data, inline, reg, tmp], true), AesCtrResponse);
  if (!('value' in r)) return r;
  const sz = r.value.sz;
  const tail = need('AES-CTR', r.value.data, sz + 2 * AES_IV_SIZE);
  return { rc: 0, data: tail.slice(0, sz), state: { reg: tail.slice(sz, sz + 16), tmp: tail.slice(sz + 16, sz + 32), left: r.value.left } };
}

export interface AesGcmOptions {
  readonly iv: Uint8Array;
  readonly aad?: Uint8Array;
  readonly data: Uint8Array;
}

function gcmBody(opts: AesKeyRef & AesGcmOptions, encrypt: boolean, tag: Uint8Array, tagSize: number): Uint8Array {
  const { keyId, inline } = keyParts(opts);
  const aad = opts.aad ?? new Uint8Array(0);
  const req = { enc: encrypt ? 1 : 0, keyLen: inline.length, sz: opts.data.length, ivSz: opts.iv.length, authInSz: aad.length, authTagSz: tagSize, keyId };
  return AesGcmRequest.encodeTail(req, [opts.data, inline, opts.iv, aad, tag], true);
}

/** AES-GCM encryption (wh_Client_AesGcm, enc 1): ciphertext and a tag of `tagSize` bytes (12..16, default 16). */
export async function aesGcmEncrypt(client: HsmClient, opts: AesKeyRef & AesGcmOptions & { readonly tagSize?: number }): Promise<CryptoResult<{ data: Uint8Array; tag: Uint8Array }>> {
  const tagSize = opts.tagSize ?? 16;
  const r = await cryptoExchange(client, WcAlgo.CIPHER, WcCipher.AES_GCM, gcmBody(opts, true, new Uint8Array(0), tagSize), AesGcmResponse);
  if (!('value' in r)) return r;
  const { sz, authTagSz } = r.value;
  const tail = need('AES-GCM', r.value.data, sz + authTagSz);
  return { rc: 0, data: tail.slice(0, sz), tag: tail.slice(sz, sz + authTagSz) };
}

/** AES-GCM decryption (enc 0): the plaintext, or AES_GCM_AUTH_E (-180) when the tag (1..16 bytes, a prefix) does not match. */
export async function aesGcmDecrypt(client: HsmClient, opts: AesKeyRef & AesGcmOptions & { readonly tag: Uint8Array }): Promise<CryptoResult<{ data: Uint8Array }>> {
  const r = await cryptoExchange(client, WcAlgo.CIPHER, WcCipher.AES_GCM, gcmBody(opts, false, opts.tag, opts.tag.length), AesGcmResponse);
  if (!('value' in r)) return r;
  return { rc: 0, data: need('AES-GCM', r.value.data, r.value.sz).slice(0, r.value.sz) };
}

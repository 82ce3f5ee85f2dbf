import { WcAlgo } from '../../crypto/wolfcrypt.js';
import { DEFAULT_DATA_LEN } from '../../protocol/header.js';
import { CmacRequest, CmacResponse } from '../../protocol/messages/crypto-cmac.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';
import type { AesKeyRef } from './aes.js';
import { cryptoExchange, type CryptoResult } from './exchange.js';

/** wolfCrypt's CMAC running state, held by the client between requests. */
export interface CmacClientState {
  readonly buffer: Uint8Array;
  readonly digest: Uint8Array;
  readonly bufferSz: number;
  readonly totalSz: number;
}

export const cmacStart = (): CmacClientState => ({ buffer: new Uint8Array(16), digest: new Uint8Array(16), bufferSz: 0, totalSz: 0 });

/** Bytes of one request besides the input: the 68-byte struct and room for a 32-byte key (the C client's limit: 8092 input bytes). */
const CMAC_OVERHEAD = 68 + 32;

async function cmacCall(client: HsmClient, ref: AesKeyRef, state: CmacClientState, input: Uint8Array, outSz: number) {
  const inline = ref.key ?? new Uint8Array(0);
  const req = { outSz, inSz: input.length, keySz: inline.length, keyId: ref.key ? 0 : (ref.keyId ?? 0), ...state };
  return cryptoExchange(client, WcAlgo.CMAC, WcAlgo.CMAC, CmacRequest.encodeTail(req, [input, inline], true), CmacResponse);
}

/** Update (outSz 0): absorbs `data` into the state, which comes back advanced. */
export async function cmacUpdate(client: HsmClient, opts: AesKeyRef & { readonly state: CmacClientState; readonly data: Uint8Array }): Promise<CryptoResult<{ state: CmacClientState }>> {
  const r = await cmacCall(client, opts, opts.state, opts.data, 0);
  if (!('value' in r)) return r;
  const { buffer, digest, bufferSz, totalSz } = r.value;
  return { rc: 0, state: { buffer, digest, bufferSz, totalSz } };
}

/** Final (no input): the MAC of everything absorbed, `macSize` bytes (4..16, default 16). */
export async function cmacFinal(client: HsmClient, opts: AesKeyRef & { readonly state: CmacClientState; readonly macSize?: number }): Promise<CryptoResult<{ mac: Uint8Array }>> {
  const r = await cmacCall(client, opts, opts.state, new Uint8Array(0), opts.macSize ?? 16);
  if (!('value' in r)) return r;
  if (r.value.data.length < r.value.outSz) throw new ProtocolError(`CMAC: MAC of ${r.value.outSz} bytes beyond the response`);
  return { rc: 0, mac: r.value.data.slice(0, r.value.outSz) };
}

/**
 * The MAC of `data` (wc_AesCmacGenerate through the HSM): one one-shot request when
 * it fits, else updates of at most what one request holds, then a final.
 */
export async function cmacGenerate(client: HsmClient, opts: AesKeyRef & { readonly data: Uint8Array; readonly macSize?: number }): Promise<CryptoResult<{ mac: Uint8Array }>> {
  const macSize = opts.macSize ?? 16;
  const chunk = DEFAULT_DATA_LEN - CMAC_OVERHEAD;
  if (opts.data.length !== 0 && opts.data.length <= chunk) {
    const r = await cmacCall(client, opts, cmacStart(), opts.data, macSize);
    if (!('value' in r)) return r;
    return { rc: 0, mac: r.value.data.slice(0, r.value.outSz) };
  }
  let state = cmacStart();
  for (let off = 0; off < opts.data.length; off += chunk) {
    const u = await cmacUpdate(client, { ...opts, state, data: opts.data.subarray(off, off + chunk) });
    if (!('state' in u)) return u;
    state = u.state;
  }
  return cmacFinal(client, { ...opts, state, macSize });
}

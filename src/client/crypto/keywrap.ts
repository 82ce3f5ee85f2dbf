import { ProtocolError, type HsmClient } from '../hsm-client.js';
import { WcCipher } from '../../crypto/wolfcrypt.js';
import { NVM_METADATA_SIZE, makeMetadata, type NvmMetadata } from '../../nvm/metadata.js';
import type { StructReader } from '../../protocol/bytes.js';
import { Group, KeyAction, kind } from '../../protocol/groups.js';
import {
  DataWrapRequest,
  DataWrapResponse,
  KeyUnwrapCacheResponse,
  KeyUnwrapExportResponse,
  KeyUnwrapRequest,
  KeyWrapExportRequest,
  KeyWrapRequest,
  KeyWrapResponse,
  WrapMetadata,
} from '../../protocol/messages/key-wrap.js';

/** The KEY wrap actions as the C client speaks them (wh_Client_KeyWrap, _KeyUnwrapAndExport, ...), AES-GCM only. */

const EMPTY = new Uint8Array(0);
const AES_GCM = WcCipher.AES_GCM;

/** The client's rule: the echoed cipherType must equal the request's (checked before rc), then a declared size must be present. */
function decoded<T extends { rc: number; cipherType: number; data?: Uint8Array }>(r: StructReader, codec: { name: string; decode(b: Uint8Array, le: boolean): T | null }, size: (v: T) => number): T {
  const v = codec.decode(r.bytes, r.littleEndian);
  if (!v) throw new ProtocolError(`${codec.name}: ${r.length} bytes`);
  if (v.cipherType !== AES_GCM) throw new ProtocolError(`${codec.name}: cipherType ${v.cipherType} not echoed`);
  if (v.rc === 0 && v.data && size(v) > v.data.length) throw new ProtocolError(`${codec.name}: shorter than its declared size`);
  return v;
}

const keyRequest = (client: HsmClient, action: number, payload: Uint8Array) => client.request(kind(Group.KEY, action), payload);

export interface WrapResult {
  readonly rc: number;
  readonly blob: Uint8Array;
}

/** KEYWRAP: wraps `key` with `meta` (its id must be a WRAPPED id, 0x4000 | USER << 8 | number) under the KEK `kekId`. */
export async function keyWrap(client: HsmClient, p: { kekId: number; meta: NvmMetadata; key: Uint8Array }): Promise<WrapResult> {
  const meta = WrapMetadata.encode({ ...p.meta, label: p.meta.label }, true);
  const data = new Uint8Array(NVM_METADATA_SIZE + p.key.length);
  data.set(meta);
  data.set(p.key, NVM_METADATA_SIZE);
  const req = KeyWrapRequest.encode({ keySz: p.key.length, serverKeyId: p.kekId, cipherType: AES_GCM, data }, true);
  const r = decoded(await keyRequest(client, KeyAction.KEYWRAP, req), KeyWrapResponse, (v) => v.wrappedKeySz);
  return { rc: r.rc, blob: r.rc === 0 ? r.data.slice(0, r.wrappedKeySz) : EMPTY };
}

/** KEYWRAPEXPORT: wraps a key the server holds (exportable; the KEK must be TRUSTED). `keyType` defaults to CRYPTO (1). */
export async function keyWrapExport(client: HsmClient, p: { keyId: number; kekId: number; keyType?: number }): Promise<WrapResult> {
  const req = KeyWrapExportRequest.encode({ keyId: p.keyId, keyType: p.keyType ?? 1, serverKeyId: p.kekId, cipherType: AES_GCM }, true);
  const r = decoded(await keyRequest(client, KeyAction.KEYWRAPEXPORT, req), KeyWrapResponse, (v) => v.wrappedKeySz);
  return { rc: r.rc, blob: r.rc === 0 ? r.data.slice(0, r.wrappedKeySz) : EMPTY };
}

const unwrapRequest = (kekId: number, blob: Uint8Array) => KeyUnwrapRequest.encode({ wrappedKeySz: blob.length, serverKeyId: kekId, cipherType: AES_GCM, data: blob }, true);

/** KEYUNWRAPEXPORT: decrypts a key blob; the key and its metadata come back. */
export async function keyUnwrapExport(client: HsmClient, p: { kekId: number; blob: Uint8Array }): Promise<{ rc: number; meta: NvmMetadata; key: Uint8Array }> {
  const r = decoded(await keyRequest(client, KeyAction.KEYUNWRAPEXPORT, unwrapRequest(p.kekId, p.blob)), KeyUnwrapExportResponse, (v) => v.keySz);
  return { rc: r.rc, meta: makeMetadata(r), key: r.rc === 0 ? r.data.slice(0, r.keySz) : EMPTY };
}

/** KEYUNWRAPCACHE: decrypts a key blob into the server's cache (the KEK must be TRUSTED); answers the key's client id (WRAPPED flag 0x200). */
export async function keyUnwrapCache(client: HsmClient, p: { kekId: number; blob: Uint8Array }): Promise<{ rc: number; keyId: number }> {
  const r = decoded(await keyRequest(client, KeyAction.KEYUNWRAPCACHE, unwrapRequest(p.kekId, p.blob)), KeyUnwrapCacheResponse, () => 0);
  return { rc: r.rc, keyId: r.keyId };
}

/** DATAWRAP: wraps arbitrary data under the KEK (data AAD). */
export async function dataWrap(client: HsmClient, p: { kekId: number; data: Uint8Array }): Promise<WrapResult> {
  const req = DataWrapRequest.encode({ size: p.data.length, serverKeyId: p.kekId, cipherType: AES_GCM, data: p.data }, true);
  const r = decoded(await keyRequest(client, KeyAction.DATAWRAP, req), DataWrapResponse, (v) => v.size);
  return { rc: r.rc, blob: r.rc === 0 ? r.data.slice(0, r.size) : EMPTY };
}

/** DATAUNWRAP: opens a data blob. */
export async function dataUnwrap(client: HsmClient, p: { kekId: number; blob: Uint8Array }): Promise<{ rc: number; data: Uint8Array }> {
  const req = DataWrapRequest.encode({ size: p.blob.length, serverKeyId: p.kekId, cipherType: AES_GCM, data: p.blob }, true);
  const r = decoded(await keyRequest(client, KeyAction.DATAUNWRAP, req), DataWrapResponse, (v) => v.size);
  return { rc: r.rc, data: r.rc === 0 ? r.data.slice(0, r.size) : EMPTY };
}

import { WhError, fail, ok, type Result } from '../errors.js';
import type { CryptoEngine } from '../crypto/engine.js';
import { WRAPPED_KEY_OVERHEAD, WRAP_HEADER_SIZE, WRAP_IV_SIZE, decodeKeyPlaintext, encodeKeyPlaintext, type WrapDomain } from '../crypto/keywrap/blob.js';
import type { OpenJobResult, SealJobResult } from '../crypto/keywrap/jobs.js';
import { DEFAULT_KEYWRAP_LIMITS, type KeyWrapLimits } from '../crypto/keywrap/limits.js';
import { WcCipher } from '../crypto/wolfcrypt.js';
import { KEYUSER_GLOBAL, KeyType, keyIdFromClient, keyIdToClient, keyNumber, keyType, keyUser, makeKeyId } from '../keystore/key-id.js';
import { NVM_LABEL_LEN, NVM_METADATA_SIZE, NvmFlags, makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { KeyAction } from '../protocol/groups.js';
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
} from '../protocol/messages/key-wrap.js';
import { sessionCryptoKeys } from './crypto/crypto-keys.js';
import { reply, type HandlerContext, type HandlerReply, type HandlerRequest } from './handler-types.js';

/**
 * The KEY group's wrap actions (spec-keys-crypto 3-8): AES-GCM under a key the
 * server holds (the KEK). Each KEK is resolved, usage-checked (WRAP) and, where
 * the spec requires it, trust-checked on one copy from one owner message; the
 * AES-GCM runs on the crypto engine outside the owner.
 */

const AES_GCM = WcCipher.AES_GCM;
const EMPTY: Uint8Array = new Uint8Array(0);

interface Wrap {
  readonly ctx: HandlerContext;
  readonly req: HandlerRequest;
  readonly engine: CryptoEngine;
  readonly limits: KeyWrapLimits;
  readonly le: boolean;
}

/** The KEK: load-for-use with WRAP, then (KEYWRAPEXPORT, KEYUNWRAPCACHE) TRUSTED on the same copy. */
async function kek(w: Wrap, serverKeyId: number, trusted: boolean): Promise<Result<Uint8Array>> {
  const key = await sessionCryptoKeys(w.ctx).loadForUse(serverKeyId, NvmFlags.USAGE_WRAP);
  if (key.rc !== WhError.OK) return key;
  if (trusted && !(key.value.meta.flags & NvmFlags.TRUSTED)) {
    key.value.data.fill(0);
    return fail(WhError.ACCESS);
  }
  return ok(key.value.data);
}

/** Encrypts under the KEK with a fresh IV from the server RNG (owner op rng.generate). */
async function seal(w: Wrap, key: Uint8Array, domain: WrapDomain, plaintext: Uint8Array): Promise<SealJobResult> {
  const iv = await sessionCryptoKeys(w.ctx).random(WRAP_IV_SIZE);
  try {
    return await w.engine.run<SealJobResult>('keywrap.seal', { kek: key, iv, domain, plaintext }, plaintext.length);
  } finally {
    key.fill(0);
    plaintext.fill(0);
  }
}

async function open(w: Wrap, key: Uint8Array, domain: WrapDomain, blob: Uint8Array): Promise<OpenJobResult> {
  try {
    return await w.engine.run<OpenJobResult>('keywrap.open', { kek: key, domain, blob }, blob.length);
  } finally {
    key.fill(0);
  }
}

// KEYWRAP (8) and KEYWRAPEXPORT (16): 8-byte answer + blob.

function wrapAnswer(w: Wrap, rc: number, cipherType = 0, blob = EMPTY): HandlerReply {
  return reply(KeyWrapResponse.encode({ rc, wrappedKeySz: blob.length, cipherType, data: blob }, w.le));
}

/** The blob must fit the response (8-byte header within DATA_LEN). */
const wrappedKeyFits = (w: Wrap, keySz: number) => KeyWrapResponse.size + WRAPPED_KEY_OVERHEAD + keySz <= w.ctx.config.dataLen;

async function wrapKey(w: Wrap, meta: NvmMetadata, key: Uint8Array, serverKeyId: number, cipherType: number, trusted: boolean): Promise<HandlerReply> {
  const k = await kek(w, serverKeyId, trusted);
  if (k.rc !== WhError.OK) return wrapAnswer(w, k.rc, cipherType);
  const sealed = await seal(w, k.value, 'key', encodeKeyPlaintext(meta, key));
  return wrapAnswer(w, sealed.rc, cipherType, sealed.rc === 0 ? sealed.blob : EMPTY);
}

/** KEYWRAP: wrap key material and metadata the client sends (spec-keys-crypto 4). */
async function keyWrap(w: Wrap): Promise<HandlerReply> {
  const r = KeyWrapRequest.decode(w.req.payload, w.le);
  if (!r || r.keySz > w.limits.maxKeySize) return wrapAnswer(w, WhError.BADARGS);
  // As wolfHSM: cipherType is echoed only once the request has been found complete.
  if (r.data.length < NVM_METADATA_SIZE + r.keySz) return wrapAnswer(w, WhError.BUFFER_SIZE);
  const m = WrapMetadata.decode(r.data, w.le)!;
  const key = r.data.subarray(NVM_METADATA_SIZE, NVM_METADATA_SIZE + r.keySz);
  if (keyType(m.id) !== KeyType.WRAPPED) return wrapAnswer(w, WhError.BADARGS, r.cipherType);
  if (r.cipherType !== AES_GCM) return wrapAnswer(w, WhError.BADARGS, r.cipherType);
  if (!wrappedKeyFits(w, r.keySz)) return wrapAnswer(w, WhError.BUFFER_SIZE, r.cipherType);
  // The plaintext came from the client: any KEK with WRAP usage will do.
  return wrapKey(w, makeMetadata(m), key, r.serverKeyId, r.cipherType, false);
}

/** KEYWRAPEXPORT: wrap a key the server holds, read under the EXPORT policy (spec-keys-crypto 5). */
async function keyWrapExport(w: Wrap): Promise<HandlerReply> {
  const r = KeyWrapExportRequest.decode(w.req.payload, w.le);
  if (!r) return wrapAnswer(w, WhError.BADARGS);
  const { clientId, localCache, sessionId } = w.ctx.session;
  const target = keyIdFromClient(r.keyType, clientId, r.keyId, w.ctx.config.keyFeatures);
  const type = keyType(target);
  // No SHE keys on this server: CRYPTO and WRAPPED targets only.
  if (type !== KeyType.CRYPTO && type !== KeyType.WRAPPED) return wrapAnswer(w, WhError.BADARGS, r.cipherType);
  const read = await w.ctx.owner.call(sessionId, 'key.export', { local: localCache, id: target, capacity: w.limits.maxKeySize });
  if (read.rc !== WhError.OK) return wrapAnswer(w, read.rc, r.cipherType);
  const { meta, data } = read.value;
  try {
    // Into the WRAPPED namespace (same USER and number), so the blob caches without colliding with the original.
    const wrappedMeta = { ...meta, id: makeKeyId(KeyType.WRAPPED, keyUser(meta.id), keyNumber(meta.id)) };
    if (r.cipherType !== AES_GCM) return wrapAnswer(w, WhError.BADARGS, r.cipherType);
    if (!wrappedKeyFits(w, data.length)) return wrapAnswer(w, WhError.BUFFER_SIZE, r.cipherType);
    // A server secret leaves: the KEK must be one no client can know (TRUSTED).
    return await wrapKey(w, wrappedMeta, data, r.serverKeyId, r.cipherType, true);
  } finally {
    data.fill(0);
  }
}

// KEYUNWRAPEXPORT (9) and KEYUNWRAPCACHE (10).

type UnwrapChecked = { readonly rc: number; readonly cipherType: number; readonly meta?: NvmMetadata; readonly key?: Uint8Array };

/** The common first steps: sizes, cipher, blob length, KEK, key size, decryption. */
async function unwrapKey(w: Wrap, trusted: boolean, fits: (keySz: number) => boolean): Promise<UnwrapChecked> {
  const r = KeyUnwrapRequest.decode(w.req.payload, w.le);
  if (!r) return { rc: WhError.BADARGS, cipherType: 0 };
  if (r.data.length < r.wrappedKeySz) return { rc: WhError.BUFFER_SIZE, cipherType: 0 };
  const ct = r.cipherType;
  if (ct !== AES_GCM || r.wrappedKeySz < WRAPPED_KEY_OVERHEAD) return { rc: WhError.BADARGS, cipherType: ct };
  const keySz = r.wrappedKeySz - WRAPPED_KEY_OVERHEAD;
  if (!fits(keySz)) return { rc: WhError.BUFFER_SIZE, cipherType: ct };
  const k = await kek(w, r.serverKeyId, trusted);
  if (k.rc !== WhError.OK) return { rc: k.rc, cipherType: ct };
  if (keySz > w.limits.maxKeySize) {
    k.value.fill(0);
    return { rc: WhError.BADARGS, cipherType: ct };
  }
  const opened = await open(w, k.value, 'key', r.data.subarray(0, r.wrappedKeySz));
  if (opened.rc !== 0) return { rc: opened.rc, cipherType: ct };
  const { meta, key } = decodeKeyPlaintext(opened.plaintext);
  opened.plaintext.fill(0);
  return { rc: 0, cipherType: ct, meta, key };
}

/** USER of an unwrapped id: the caller's own, or global (in builds with global keys). */
const ownedByCaller = (w: Wrap, id: number) =>
  keyUser(id) === w.ctx.session.clientId || (w.ctx.config.keyFeatures.globalKeys && keyUser(id) === KEYUSER_GLOBAL);

/** KEYUNWRAPEXPORT: decrypt a key blob and hand key and metadata back (spec-keys-crypto 6). */
async function keyUnwrapExport(w: Wrap): Promise<HandlerReply> {
  const answer = (rc: number, cipherType: number, meta?: NvmMetadata, key = EMPTY) => {
    const m = rc === 0 && meta ? meta : { id: 0, access: 0, flags: 0, len: 0, label: new Uint8Array(NVM_LABEL_LEN) };
    return reply(KeyUnwrapExportResponse.encode({ rc, keySz: rc === 0 ? key.length : 0, cipherType, ...m, data: rc === 0 ? key : EMPTY }, w.le));
  };
  const u = await unwrapKey(w, false, (keySz) => KeyUnwrapExportResponse.size + keySz <= w.ctx.config.dataLen);
  if (u.rc !== 0 || !u.meta || !u.key) return answer(u.rc, u.cipherType);
  const { meta, key } = u;
  let rc: number = WhError.OK;
  if (keyNumber(meta.id) === 0) rc = WhError.BADARGS;
  else if (keyType(meta.id) !== KeyType.WRAPPED) rc = WhError.ABORTED;
  else if (meta.flags & NvmFlags.NONEXPORTABLE) rc = WhError.ACCESS;
  else if (!ownedByCaller(w, meta.id)) rc = WhError.ACCESS;
  const out = answer(rc, u.cipherType, meta, key);
  key.fill(0);
  return out;
}

/**
 * The owner op that inserts an unwrapped key. Exact: 'key.cacheUnwrapped'
 * (src/keystore/unwrap-cache.ts: refuses an id already cached with ABORTED, then
 * the unchecked insert); until the owner table has it, 'key.cache' (same
 * arguments and answer; it overwrites an existing copy, policy-gated, instead).
 */
const UNWRAP_CACHE_OP = 'key.cacheUnwrapped';

/** KEYUNWRAPCACHE: decrypt a key blob into the key cache under its WRAPPED id (spec-keys-crypto 7). */
async function keyUnwrapCache(w: Wrap): Promise<HandlerReply> {
  const answer = (rc: number, cipherType: number, keyId = 0) => reply(KeyUnwrapCacheResponse.encode({ rc, keyId, cipherType }, w.le));
  // A blob cached from a KEK the client knows would let it forge keys: the KEK must be TRUSTED.
  const u = await unwrapKey(w, true, () => true);
  if (u.rc !== 0 || !u.meta || !u.key) return answer(u.rc, u.cipherType);
  const { key } = u;
  try {
    const meta = makeMetadata({ ...u.meta, flags: u.meta.flags & ~NvmFlags.SERVER_ONLY });
    if (key.length !== meta.len || keyNumber(meta.id) === 0) return answer(WhError.BADARGS, u.cipherType);
    if (keyType(meta.id) !== KeyType.WRAPPED) return answer(WhError.ABORTED, u.cipherType);
    if (!ownedByCaller(w, meta.id)) return answer(WhError.ACCESS, u.cipherType);
    const { localCache, sessionId } = w.ctx.session;
    const res = await w.ctx.owner.call(sessionId, UNWRAP_CACHE_OP, { local: localCache, meta, data: key });
    // As wolfHSM, the id is in the answer from the existence check on, even if the insert fails.
    const exists = res.rc === WhError.ABORTED;
    return answer(res.rc, u.cipherType, exists ? 0 : keyIdToClient(meta.id, w.ctx.config.keyFeatures));
  } finally {
    key.fill(0);
  }
}

// DATAWRAP (11) and DATAUNWRAP (12): 12-byte answer + blob or data.

function dataAnswer(w: Wrap, rc: number, cipherType = 0, data = EMPTY): HandlerReply {
  return reply(DataWrapResponse.encode({ rc, size: data.length, cipherType, data }, w.le));
}

/** DATAWRAP: wrap client data under the data AAD (spec-keys-crypto 8). */
async function dataWrap(w: Wrap): Promise<HandlerReply> {
  const r = DataWrapRequest.decode(w.req.payload, w.le);
  if (!r || r.size > w.limits.maxDataSize) return dataAnswer(w, WhError.BADARGS);
  if (r.data.length < r.size) return dataAnswer(w, WhError.BUFFER_SIZE);
  if (r.cipherType !== AES_GCM) return dataAnswer(w, WhError.BADARGS, r.cipherType);
  if (DataWrapResponse.size + WRAP_HEADER_SIZE + r.size > w.ctx.config.dataLen) return dataAnswer(w, WhError.BUFFER_SIZE, r.cipherType);
  const k = await kek(w, r.serverKeyId, false);
  if (k.rc !== WhError.OK) return dataAnswer(w, k.rc, r.cipherType);
  const sealed = await seal(w, k.value, 'data', r.data.slice(0, r.size));
  return dataAnswer(w, sealed.rc, r.cipherType, sealed.rc === 0 ? sealed.blob : EMPTY);
}

/** DATAUNWRAP: open a data blob (a key blob fails authentication: -180). */
async function dataUnwrap(w: Wrap): Promise<HandlerReply> {
  const r = DataWrapRequest.decode(w.req.payload, w.le);
  if (!r) return dataAnswer(w, WhError.BADARGS);
  if (r.data.length < r.size) return dataAnswer(w, WhError.BUFFER_SIZE);
  const ct = r.cipherType;
  if (ct !== AES_GCM || r.size < WRAP_HEADER_SIZE) return dataAnswer(w, WhError.BADARGS, ct);
  const dataSz = r.size - WRAP_HEADER_SIZE;
  if (DataWrapResponse.size + dataSz > w.ctx.config.dataLen) return dataAnswer(w, WhError.BUFFER_SIZE, ct);
  const k = await kek(w, r.serverKeyId, false);
  if (k.rc !== WhError.OK) return dataAnswer(w, k.rc, ct);
  if (dataSz > w.limits.maxDataSize) {
    k.value.fill(0);
    return dataAnswer(w, WhError.BADARGS, ct);
  }
  const opened = await open(w, k.value, 'data', r.data.subarray(0, r.size));
  return dataAnswer(w, opened.rc, ct, opened.rc === 0 ? opened.plaintext : EMPTY);
}

/**
 * Serves KEY KEYWRAP, KEYUNWRAPEXPORT, KEYUNWRAPCACHE, DATAWRAP, DATAUNWRAP and
 * KEYWRAPEXPORT; null for every other action (the KEY handler answers those).
 */
export async function handleKeyWrap(ctx: HandlerContext, req: HandlerRequest, engine: CryptoEngine, limits: KeyWrapLimits = DEFAULT_KEYWRAP_LIMITS): Promise<HandlerReply | null> {
  const w: Wrap = { ctx, req, engine, limits, le: req.header.littleEndian };
  switch (req.action) {
    case KeyAction.KEYWRAP:
      return keyWrap(w);
    case KeyAction.KEYWRAPEXPORT:
      return keyWrapExport(w);
    case KeyAction.KEYUNWRAPEXPORT:
      return keyUnwrapExport(w);
    case KeyAction.KEYUNWRAPCACHE:
      return keyUnwrapCache(w);
    case KeyAction.DATAWRAP:
      return dataWrap(w);
    case KeyAction.DATAUNWRAP:
      return dataUnwrap(w);
    default:
      return null;
  }
}

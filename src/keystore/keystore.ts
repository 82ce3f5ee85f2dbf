import { WhError, fail, ok, type Result, type WhRc } from '../errors.js';
import { NvmFlags, makeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import type { Nvm } from '../nvm/nvm.js';
import type { KeyCache, KeySlot } from './key-cache.js';
import { KEYID_IDMAX, KeyType, isUnassignedKeyId, keyType, keyUser, type KeyFeatures, KEYUSER_GLOBAL } from './key-id.js';
import { keyPolicy, type KeyPolicyOp } from './key-policy.js';

/**
 * What one keystore call sees (wh_server_keystore.c): the NVM (optional, as in
 * wolfHSM), the global cache (with GLOBAL_KEYS), the calling client's local cache.
 * Plain synchronous functions: the owner actor runs each compound call in one turn.
 */
export interface KeystoreContext {
  readonly nvm: Nvm | null;
  readonly global: KeyCache | null;
  readonly local: KeyCache;
  readonly features: KeyFeatures;
  /** The server RNG, for CACHE_RANDOM. */
  readonly random: (n: number) => Uint8Array;
}

/** A key as it leaves the keystore: metadata and a private copy of its bytes. */
export interface KeyMaterial {
  readonly meta: NvmMetadata;
  readonly data: Uint8Array;
}

/** _GetCacheContext: USER 0 with an NVM goes to the global cache, everything else to the local one. */
export function cacheFor(ctx: KeystoreContext, id: number): KeyCache {
  return ctx.global && ctx.nvm && keyUser(id) === KEYUSER_GLOBAL ? ctx.global : ctx.local;
}

const isHw = (ctx: KeystoreContext, id: number) => ctx.features.hwKeystore && keyType(id) === KeyType.HW;

/** Shared pre-check: unassigned ids are BADARGS, hardware ids never enter cache or NVM. */
function precheck(ctx: KeystoreContext, id: number): WhRc {
  if (isUnassignedKeyId(id)) return WhError.BADARGS;
  if (isHw(ctx, id)) return WhError.ACCESS;
  return WhError.OK;
}

/** _KeystoreCheckPolicy: find the key (cache first, then NVM) and apply its flags. */
export function checkKeyPolicy(ctx: KeystoreContext, op: KeyPolicyOp, id: number): WhRc {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return pre;
  const slot = cacheFor(ctx, id).find(id);
  if (slot?.meta) return keyPolicy(op, slot.meta.flags, slot.committed);
  if (!ctx.nvm) return WhError.NOTFOUND;
  const m = ctx.nvm.getMetadata(id);
  if (m.rc !== WhError.OK) return m.rc;
  return keyPolicy(op, m.value.flags, false);
}

/** GetUniqueId: ID 255 down to 1, free in the routed cache and in NVM. Nothing is reserved. */
export function getUniqueId(ctx: KeystoreContext, typeUser: number): Result<number> {
  const t = keyType(typeUser);
  if (t === KeyType.WRAPPED || t === KeyType.HW) return fail(WhError.BADARGS);
  const cache = cacheFor(ctx, typeUser);
  for (let n = KEYID_IDMAX; n >= 1; n--) {
    const id = (typeUser & 0xff00) | n;
    if (cache.find(id)) continue;
    if (!ctx.nvm) return ok(id);
    const m = ctx.nvm.getMetadata(id);
    if (m.rc === WhError.NOTFOUND) return ok(id);
    if (m.rc !== WhError.OK) return fail(m.rc);
  }
  return fail(WhError.NOSPACE);
}

/** GetCacheSlot: an existing copy is evicted first (so it can change size class), then allocate. */
function getCacheSlot(ctx: KeystoreContext, id: number, size: number): Result<KeySlot> {
  const cache = cacheFor(ctx, id);
  if (size > cache.maxKeySize) return fail(WhError.BADARGS);
  const old = cache.find(id);
  if (old) cache.wipe(old);
  return cache.allocate(size);
}

function getCacheSlotChecked(ctx: KeystoreContext, id: number, size: number): Result<KeySlot> {
  const rc = checkKeyPolicy(ctx, 'cache', id);
  if (rc !== WhError.OK && rc !== WhError.NOTFOUND) return fail(rc);
  return getCacheSlot(ctx, id, size);
}

function fill(slot: KeySlot, meta: NvmMetadata, data: Uint8Array, committed: boolean): void {
  slot.buf.set(data.subarray(0, meta.len));
  // The cache keeps its own metadata: a caller's object may change after the call.
  slot.meta = { ...meta, label: meta.label.slice() };
  slot.committed = committed;
}

/** CacheKey / CacheKeyChecked: a dirty (uncommitted) cached key shadowing any NVM copy. */
export function cacheKey(ctx: KeystoreContext, meta: NvmMetadata, data: Uint8Array, checked = true, reserve = 0): WhRc {
  if (isUnassignedKeyId(meta.id) || meta.len > cacheFor(ctx, meta.id).maxKeySize || data.length < meta.len) return WhError.BADARGS;
  if (isHw(ctx, meta.id)) return WhError.ACCESS;
  const size = Math.max(meta.len, reserve);
  const slot = checked ? getCacheSlotChecked(ctx, meta.id, size) : getCacheSlot(ctx, meta.id, size);
  if (slot.rc !== WhError.OK) return slot.rc;
  fill(slot.value, meta, data, false);
  return WhError.OK;
}

/** KEY CACHE core: pick an id when none is given, then the checked cache, as one step. */
export function cacheKeyAssigning(ctx: KeystoreContext, meta: NvmMetadata, data: Uint8Array, reserve = 0): Result<number> {
  let m = meta;
  if (isUnassignedKeyId(meta.id)) {
    const id = getUniqueId(ctx, meta.id);
    if (id.rc !== WhError.OK) return id;
    m = { ...meta, id: id.value };
  }
  const rc = cacheKey(ctx, m, data, true, reserve);
  return rc === WhError.OK ? ok(m.id) : fail(rc);
}

/** KEY CACHE_RANDOM core: as cacheKeyAssigning with bytes from the server RNG. */
export function cacheRandomAssigning(ctx: KeystoreContext, meta: NvmMetadata): Result<number> {
  if (meta.len === 0) return fail(WhError.BADARGS);
  return cacheKeyAssigning(ctx, meta, ctx.random(meta.len));
}

/** FreshenKey: make sure the key is cached, loading it from NVM (committed) if needed. */
export function freshenKey(ctx: KeystoreContext, id: number): Result<KeySlot> {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return fail(pre);
  const cached = cacheFor(ctx, id).find(id);
  if (cached) return ok(cached);
  if (keyType(id) === KeyType.WRAPPED || !ctx.nvm) return fail(WhError.NOTFOUND);
  const m = ctx.nvm.getMetadata(id);
  if (m.rc !== WhError.OK) return m;
  const slot = getCacheSlot(ctx, id, m.value.len);
  if (slot.rc !== WhError.OK) return slot;
  const data = ctx.nvm.read(id, 0, m.value.len);
  if (data.rc !== WhError.OK) return data;
  fill(slot.value, m.value, data.value, true);
  return slot;
}

/** ReadKey: copy out from the cache, else from NVM (then cache it opportunistically, committed). */
export function readKey(ctx: KeystoreContext, id: number, capacity: number): Result<KeyMaterial> {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return fail(pre);
  const cache = cacheFor(ctx, id);
  const cached = cache.find(id);
  if (cached?.meta) {
    if (cached.meta.len > capacity) return fail(WhError.NOSPACE);
    return ok({ meta: cached.meta, data: cache.data(cached).slice() });
  }
  if (keyType(id) === KeyType.WRAPPED || !ctx.nvm) return fail(WhError.NOTFOUND);
  const m = ctx.nvm.getMetadata(id);
  if (m.rc !== WhError.OK) return m;
  if (m.value.len > capacity) return fail(WhError.NOSPACE);
  const data = ctx.nvm.read(id, 0, m.value.len);
  if (data.rc !== WhError.OK) return data;
  // Opportunistic caching, never at the cost of a dirty key: a failure is ignored.
  if (!(keyType(id) === KeyType.SHE && (id & 0xff) === 0) && cacheKey(ctx, m.value, data.value, false) === WhError.OK) {
    cache.find(id)!.committed = true;
  }
  return ok({ meta: m.value, data: data.value });
}

export function readKeyChecked(ctx: KeystoreContext, id: number, capacity: number): Result<KeyMaterial> {
  const rc = checkKeyPolicy(ctx, 'export', id);
  return rc === WhError.OK ? readKey(ctx, id, capacity) : fail(rc);
}

export function evictKey(ctx: KeystoreContext, id: number): WhRc {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return pre;
  const cache = cacheFor(ctx, id);
  const slot = cache.find(id);
  if (!slot) return WhError.NOTFOUND;
  cache.wipe(slot);
  return WhError.OK;
}

export function evictKeyChecked(ctx: KeystoreContext, id: number): WhRc {
  const rc = checkKeyPolicy(ctx, 'evict', id);
  return rc === WhError.OK ? evictKey(ctx, id) : rc;
}

/** CommitKey: write the cached copy to NVM (with reclaim) and mark it committed. */
export function commitKey(ctx: KeystoreContext, id: number): WhRc {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return pre;
  if (keyType(id) === KeyType.WRAPPED) return WhError.ABORTED;
  const cache = cacheFor(ctx, id);
  const slot = cache.find(id);
  if (!slot?.meta) return WhError.NOTFOUND;
  if (!ctx.nvm) return WhError.BADARGS;
  const rc = ctx.nvm.addObjectWithReclaim(slot.meta, cache.data(slot), slot.meta.len);
  if (rc === WhError.OK) slot.committed = true;
  return rc;
}

/** Marks a cached key committed (its bytes are known to equal the NVM copy); NOTFOUND if not cached. */
export function markKeyCommitted(ctx: KeystoreContext, id: number): WhRc {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return pre;
  const slot = cacheFor(ctx, id).find(id);
  if (!slot) return WhError.NOTFOUND;
  slot.committed = true;
  return WhError.OK;
}

export function commitKeyChecked(ctx: KeystoreContext, id: number): WhRc {
  const rc = checkKeyPolicy(ctx, 'commit', id);
  return rc === WhError.OK ? commitKey(ctx, id) : rc;
}

/** EraseKeyChecked: a policy refusal of the evict stops before NVM; a missing cache copy does not. */
export function eraseKeyChecked(ctx: KeystoreContext, id: number): WhRc {
  const pre = precheck(ctx, id);
  if (pre !== WhError.OK) return pre;
  if (keyType(id) === KeyType.WRAPPED) return WhError.ABORTED;
  const ev = evictKeyChecked(ctx, id);
  if (ev !== WhError.OK && ev !== WhError.NOTFOUND) return ev;
  return ctx.nvm ? ctx.nvm.destroyObjectsChecked([id]) : WhError.OK;
}

/** RevokeKey: NONMODIFIABLE and no usage, persisted when the key lives in NVM. */
export function revokeKey(ctx: KeystoreContext, id: number): WhRc {
  const rc = checkKeyPolicy(ctx, 'revoke', id);
  if (rc !== WhError.OK) return rc;
  let inNvm = false;
  if (ctx.nvm) {
    const m = ctx.nvm.getMetadata(id);
    if (m.rc === WhError.OK) inNvm = true;
    else if (m.rc !== WhError.NOTFOUND) return m.rc;
  }
  const fresh = freshenKey(ctx, id);
  if (fresh.rc !== WhError.OK) return fresh.rc;
  const slot = fresh.value;
  const meta = slot.meta!;
  const revoked = (meta.flags & NvmFlags.NONMODIFIABLE) !== 0 && (meta.flags & NvmFlags.USAGE_ANY) === 0;
  if (revoked && slot.committed) return WhError.OK;
  slot.meta = makeMetadata({ ...meta, flags: (meta.flags | NvmFlags.NONMODIFIABLE) & ~NvmFlags.USAGE_ANY & 0xffff });
  if (!inNvm || !ctx.nvm) return WhError.OK;
  const cache = cacheFor(ctx, id);
  const add = ctx.nvm.addObjectWithReclaim(slot.meta, cache.data(slot), slot.meta.len);
  if (add === WhError.OK) slot.committed = true;
  return add;
}

/**
 * CACHE_DMA, first half: id, policy and a slot holding the metadata (committed 0).
 * The bytes follow from client memory; {@link finishDmaCache} fills or wipes the slot.
 */
export function prepareDmaCache(ctx: KeystoreContext, meta: NvmMetadata): Result<number> {
  let id = meta.id;
  if (isUnassignedKeyId(id)) {
    const u = getUniqueId(ctx, id);
    if (u.rc !== WhError.OK) return u;
    id = u.value;
  }
  if (meta.len > cacheFor(ctx, id).maxKeySize) return fail(WhError.BADARGS);
  if (isHw(ctx, id)) return fail(WhError.ACCESS);
  const slot = getCacheSlotChecked(ctx, id, meta.len);
  if (slot.rc !== WhError.OK) return slot;
  slot.value.meta = { ...meta, id, label: meta.label.slice() };
  slot.value.committed = false;
  return ok(id);
}

/** CACHE_DMA, second half: the transferred bytes, or null when the transfer failed (slot wiped). */
export function finishDmaCache(ctx: KeystoreContext, id: number, data: Uint8Array | null): WhRc {
  const cache = cacheFor(ctx, id);
  const slot = cache.find(id);
  if (!slot?.meta) return WhError.NOTFOUND;
  if (!data) {
    cache.wipe(slot);
    return WhError.OK;
  }
  fill(slot, slot.meta, data, false);
  return WhError.OK;
}

/**
 * CACHE_DMA as one step, after the transfer: id, policy and slot as wolfHSM
 * prepares them, then the bytes, or (the transfer failed with `transferRc`) the
 * slot wiped, so the old copy is gone as in wolfHSM but no half-built key is ever
 * visible. Policy failures come first, as in wolfHSM where they precede the copy.
 */
export function cacheDmaKey(ctx: KeystoreContext, meta: NvmMetadata, data: Uint8Array | null, transferRc: WhRc): Result<number> {
  const id = prepareDmaCache(ctx, meta);
  if (id.rc !== WhError.OK) return id;
  const rc = finishDmaCache(ctx, id.value, data);
  if (data === null) return fail(transferRc === WhError.OK ? WhError.ABORTED : transferRc);
  return rc === WhError.OK ? id : fail(rc);
}

/** EXPORT_DMA core: policy EXPORT, freshen (needs a slot, unlike plain export), size check, copy. */
export function exportDmaKey(ctx: KeystoreContext, id: number, capacity: number): Result<KeyMaterial> {
  const rc = checkKeyPolicy(ctx, 'export', id);
  if (rc !== WhError.OK) return fail(rc);
  const fresh = freshenKey(ctx, id);
  if (fresh.rc !== WhError.OK) return fresh;
  const meta = fresh.value.meta!;
  if (capacity < meta.len) return fail(WhError.NOSPACE);
  return ok({ meta, data: cacheFor(ctx, id).data(fresh.value).slice() });
}

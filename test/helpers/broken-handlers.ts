import { WhError } from '../../src/errors.js';
import { sheHandler } from '../../src/handlers/she/she-handler.js';
import { certHandler } from '../../src/handlers/cert/cert-handler.js';
import { CertFlags } from '../../src/cert/cert-codes.js';
import type { VerifyChainResult } from '../../src/cert/chain-verify.js';
import { CertJob } from '../../src/cert/jobs.js';
import { CertAction, CertIdRequest, CertSimpleResponse, CertVerifyRequest, CertVerifyResponse } from '../../src/protocol/messages/cert.js';
import { SheLoadKeyRequest, SheLoadKeyResponse } from '../../src/protocol/messages/she.js';
import { authSlotOf, counterOf, openKeyUpdate, proofMessages, storedFlagsOf, targetSlotOf } from '../../src/she/key-update.js';
import { SheAction } from '../../src/she/she-constants.js';
import { sheKeyMeta, sheLabel } from '../../src/she/she-label.js';
import { sheKeyId } from '../../src/she/she-keys.js';
import { counterMeta, counterNvmId } from '../../src/core/counter.js';
import { DEFAULT_HANDLERS, type HandlerTable } from '../../src/handlers/dispatch.js';
import { handleCounter } from '../../src/handlers/counter.js';
import { handleKey } from '../../src/handlers/key.js';
import { handleNvm } from '../../src/handlers/nvm.js';
import { reply, type GroupHandler } from '../../src/handlers/handler-types.js';
import { callTestingOp } from '../../src/testing/owner-ops.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { cryptoHandler } from '../../src/handlers/crypto/crypto-handler.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../../src/handlers/crypto/families/index.js';
import { aesFamily } from '../../src/handlers/crypto/families/aes.js';
import { pkFamily } from '../../src/handlers/crypto/families/pk.js';
import type { CryptoFamily, CryptoKeys } from '../../src/handlers/crypto/crypto-types.js';
import { KeyType, isUnassignedKeyId, keyIdFromClient, keyIdToClient } from '../../src/keystore/key-id.js';
import { NVM_ACCESS_ANY, NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { CounterAction, Group, KeyAction, NvmAction } from '../../src/protocol/groups.js';
import { CounterIdRequest, CounterInitRequest, CounterValueResponse } from '../../src/protocol/messages/counter.js';
import { KeyCacheRequest, KeyExportDmaRequest, KeyExportDmaResponse, KeyExportResponse, KeyIdRequest, KeyIdResponse, KeyOkResponse, KeyRevokeResponse } from '../../src/protocol/messages/key.js';
import { NvmAddObjectRequest, NvmDestroyObjectsRequest, NvmRc, NvmReadRequest, NvmReadResponse, destroyIds } from '../../src/protocol/messages/nvm.js';

/**
 * Deliberately broken handlers: each splits one compound operation of spec-core
 * section 8 into two owner messages, the TOCTOU bug a lock (or one message)
 * prevents. The linearizability checker must catch every one of them.
 */
const rc4 = (rc: number, le: boolean) => reply(NvmRc.encode({ rc }, le));

/** #17 COUNTER INCREMENT as read, then write back +1. */
const counterIncrementSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== CounterAction.INCREMENT) return handleCounter(ctx, req);
  const le = req.header.littleEndian;
  const nvmId = counterNvmId(ctx.session.clientId, CounterIdRequest.decode(req.payload, le)!.counterId);
  const cur = await ctx.owner.call(ctx.session.sessionId, 'counter.read', { nvmId });
  if (cur.rc !== 0) return reply(CounterValueResponse.encode({ rc: cur.rc, value: 0 }, le));
  const next = cur.value === 0xffffffff ? cur.value : cur.value + 1;
  const w = await ctx.owner.call(ctx.session.sessionId, 'counter.init', { nvmId, value: next });
  return reply(CounterValueResponse.encode({ rc: w.rc, value: w.rc === 0 ? next : 0 }, le));
};

/** #14 NVM READ as metadata (clamp), then a checked read of possibly another version. */
const nvmReadSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== NvmAction.READ) return handleNvm(ctx, req);
  const le = req.header.littleEndian;
  const r = NvmReadRequest.decode(req.payload, le)!;
  const m = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id: r.id });
  if (m.rc !== 0) return rc4(m.rc, le);
  if (r.offset >= m.value.len) return rc4(WhError.BADARGS, le);
  const d = await ctx.owner.call(ctx.session.sessionId, 'nvm.readChecked', { id: r.id, offset: r.offset, len: Math.min(r.dataLen, m.value.len - r.offset) });
  return d.rc === 0 ? reply(NvmReadResponse.encode({ rc: 0, data: d.value }, le)) : rc4(d.rc, le);
};

/** #12 NVM ADDOBJECT as a policy check, then an unchecked add. */
const nvmAddSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== NvmAction.ADDOBJECT) return handleNvm(ctx, req);
  const le = req.header.littleEndian;
  const r = NvmAddObjectRequest.decode(req.payload, le)!;
  const old = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id: r.id });
  if (old.rc === 0 && old.value.flags & (NvmFlags.NONMODIFIABLE | NvmFlags.TRUSTED)) return rc4(WhError.ACCESS, le);
  const meta = makeMetadata({ id: r.id, access: r.access, flags: r.flags, len: r.len, label: r.label });
  return rc4((await ctx.owner.call(ctx.session.sessionId, 'nvm.addObject', { meta, data: r.data })).rc, le);
};

/** #13 NVM DESTROYOBJECTS as a policy check, then an unchecked destroy. */
const nvmDestroySplit: GroupHandler = async (ctx, req) => {
  if (req.action !== NvmAction.DESTROYOBJECTS) return handleNvm(ctx, req);
  const le = req.header.littleEndian;
  const r = NvmDestroyObjectsRequest.decode(req.payload, le)!;
  const ids = destroyIds(r.ids, r.count, le);
  for (const id of ids) {
    const m = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id });
    if (m.rc === 0 && m.value.flags & (NvmFlags.NONMODIFIABLE | NvmFlags.NONDESTROYABLE | NvmFlags.TRUSTED)) return rc4(WhError.ACCESS, le);
  }
  return rc4((await ctx.owner.call(ctx.session.sessionId, 'nvm.destroyObjects', { ids })).rc, le);
};

/** #1 KEY CACHE with no id: pick a unique id, then cache under it, as two messages. */
const keyCacheUniqueIdSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.CACHE) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const r = KeyCacheRequest.decode(req.payload, le)!;
  const f = ctx.config.keyFeatures;
  let id = keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, r.id, f);
  const local = ctx.session.localCache;
  if (isUnassignedKeyId(id)) {
    const u = await ctx.owner.call(ctx.session.sessionId, 'key.getUniqueId', { local, typeUser: id });
    if (u.rc !== 0) return reply(KeyIdResponse.encode({ rc: u.rc, id: 0 }, le));
    id = u.value;
  }
  const meta = makeMetadata({ id, access: NVM_ACCESS_ANY, flags: r.flags & ~NvmFlags.SERVER_ONLY, len: r.sz, label: r.label.subarray(0, Math.min(24, r.labelLen)) });
  const res = await ctx.owner.call(ctx.session.sessionId, 'key.cache', { local, meta, data: r.data.subarray(0, r.sz) });
  return reply(KeyIdResponse.encode({ rc: res.rc, id: res.rc === 0 ? keyIdToClient(res.value, f) : 0 }, le));
};

/** #7 KEY EXPORT as a policy check, then an unchecked read. */
const keyExportSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.EXPORT) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const id = keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, KeyIdRequest.decode(req.payload, le)!.id, ctx.config.keyFeatures);
  const local = ctx.session.localCache;
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'export', id });
  const fail = (rc: number) => reply(KeyExportResponse.encode({ rc, len: 0, label: new Uint8Array(24), data: new Uint8Array(0) }, le));
  if (p.rc !== 0) return fail(p.rc);
  const k = await ctx.owner.call(ctx.session.sessionId, 'key.read', { local, id, capacity: ctx.config.dataLen - 36 });
  if (k.rc !== 0) return fail(k.rc);
  return reply(KeyExportResponse.encode({ rc: 0, len: k.value.data.length, label: k.value.meta.label, data: k.value.data }, le));
};

const serverKeyId = (ctx: Parameters<GroupHandler>[0], clientKeyId: number) => keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, clientKeyId, ctx.config.keyFeatures);
const keyRc = (action: number, rc: number, le: boolean) =>
  reply(action === KeyAction.REVOKE ? KeyRevokeResponse.encode({ rc }, le) : KeyOkResponse.encode({ rc, ok: 0 }, le));

/** #2 KEY CACHE with an explicit id: the CACHE policy check, then an unchecked cache. */
const keyCacheSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.CACHE) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const r = KeyCacheRequest.decode(req.payload, le)!;
  const id = serverKeyId(ctx, r.id);
  if (isUnassignedKeyId(id)) return handleKey(ctx, req);
  const local = ctx.session.localCache;
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'cache', id });
  if (p.rc !== 0 && p.rc !== WhError.NOTFOUND) return reply(KeyIdResponse.encode({ rc: p.rc, id: 0 }, le));
  const meta = makeMetadata({ id, access: NVM_ACCESS_ANY, flags: r.flags & ~NvmFlags.SERVER_ONLY, len: r.sz, label: r.label.subarray(0, Math.min(24, r.labelLen)) });
  const res = await callTestingOp(ctx.owner, ctx.session.sessionId, 'key.cacheUnchecked', { local, meta, data: r.data.subarray(0, r.sz) });
  return reply(KeyIdResponse.encode({ rc: res.rc, id: res.rc === 0 ? keyIdToClient(id, ctx.config.keyFeatures) : 0 }, le));
};

/** #3 KEY EVICT: the EVICT policy check, then an unchecked evict. */
const keyEvictSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.EVICT) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const id = serverKeyId(ctx, KeyIdRequest.decode(req.payload, le)!.id);
  const local = ctx.session.localCache;
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'evict', id });
  if (p.rc !== 0) return keyRc(req.action, p.rc, le);
  return keyRc(req.action, (await callTestingOp(ctx.owner, ctx.session.sessionId, 'key.evictUnchecked', { local, id })).rc, le);
};

/** #4 KEY ERASE: the checked evict, then the checked NVM destroy, as two messages. */
const keyEraseSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.ERASE) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const id = serverKeyId(ctx, KeyIdRequest.decode(req.payload, le)!.id);
  const ev = await ctx.owner.call(ctx.session.sessionId, 'key.evict', { local: ctx.session.localCache, id });
  if (ev.rc !== 0 && ev.rc !== WhError.NOTFOUND) return keyRc(req.action, ev.rc, le);
  return keyRc(req.action, (await ctx.owner.call(ctx.session.sessionId, 'nvm.destroyObjectsChecked', { ids: [id] })).rc, le);
};

/** #6 KEY REVOKE: read the key, then write the revoked copy back to the cache and to NVM. */
const keyRevokeSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.REVOKE) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const id = serverKeyId(ctx, KeyIdRequest.decode(req.payload, le)!.id);
  const local = ctx.session.localCache;
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'revoke', id });
  if (p.rc !== 0) return keyRc(req.action, p.rc, le);
  const k = await ctx.owner.call(ctx.session.sessionId, 'key.read', { local, id, capacity: 0xffff });
  if (k.rc !== 0) return keyRc(req.action, k.rc, le);
  const meta = makeMetadata({ ...k.value.meta, flags: (k.value.meta.flags | NvmFlags.NONMODIFIABLE) & ~NvmFlags.USAGE_ANY });
  await callTestingOp(ctx.owner, ctx.session.sessionId, 'key.cacheUnchecked', { local, meta, data: k.value.data });
  return keyRc(req.action, (await ctx.owner.call(ctx.session.sessionId, 'nvm.addObjectWithReclaim', { meta, data: k.value.data })).rc, le);
};

/** #8 KEY EXPORT_DMA: the EXPORT policy check, then the read, without the lease around them. */
const keyExportDmaSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.EXPORT_DMA) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const r = KeyExportDmaRequest.decode(req.payload, le)!;
  const id = serverKeyId(ctx, r.id);
  const local = ctx.session.localCache;
  const answer = (rc: number, len = 0, label: Uint8Array = new Uint8Array(24)) =>
    reply(KeyExportDmaResponse.encode({ badAddr: rc ? r.keyAddr : 0n, badSize: rc ? r.keySize : 0n, rc, len, label }, le));
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'export', id });
  if (p.rc !== 0) return answer(p.rc);
  const k = await ctx.owner.call(ctx.session.sessionId, 'key.read', { local, id, capacity: Number(r.keySize) });
  if (k.rc !== 0) return answer(k.rc);
  const rc = await ctx.dma!.write(r.keyAddr, k.value.data);
  return answer(rc, k.value.data.length, k.value.meta.label);
};

/** #5 KEY COMMIT: read the cached copy, write it to NVM, then mark the slot committed, as three messages. */
const keyCommitSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== KeyAction.COMMIT) return handleKey(ctx, req);
  const le = req.header.littleEndian;
  const id = serverKeyId(ctx, KeyIdRequest.decode(req.payload, le)!.id);
  const local = ctx.session.localCache;
  const p = await ctx.owner.call(ctx.session.sessionId, 'key.checkPolicy', { local, op: 'commit', id });
  if (p.rc !== 0) return keyRc(req.action, p.rc, le);
  const k = await ctx.owner.call(ctx.session.sessionId, 'key.read', { local, id, capacity: 0xffff });
  if (k.rc !== 0) return keyRc(req.action, k.rc, le);
  const add = await ctx.owner.call(ctx.session.sessionId, 'nvm.addObjectWithReclaim', { meta: k.value.meta, data: k.value.data });
  if (add.rc !== 0) return keyRc(req.action, add.rc, le);
  return keyRc(req.action, (await callTestingOp(ctx.owner, ctx.session.sessionId, 'key.markCommitted', { local, id })).rc, le);
};

/** #19 add-with-reclaim as three messages: is there room, else compact, then a plain add (COUNTER INIT). */
const counterInitReclaimSplit: GroupHandler = async (ctx, req) => {
  if (req.action !== CounterAction.INIT) return handleCounter(ctx, req);
  const le = req.header.littleEndian;
  const r = CounterInitRequest.decode(req.payload, le)!;
  const nvmId = counterNvmId(ctx.session.clientId, r.counterId);
  const avail = await ctx.owner.call(ctx.session.sessionId, 'nvm.getAvailable', {});
  if (avail.rc === 0 && avail.value.availObjects === 0) await ctx.owner.call(ctx.session.sessionId, 'nvm.destroyObjects', { ids: [] });
  const add = await ctx.owner.call(ctx.session.sessionId, 'nvm.addObject', { meta: counterMeta(nvmId, r.value), data: null });
  return reply(CounterValueResponse.encode({ rc: add.rc, value: add.rc === 0 ? r.value : 0 }, le));
};

const withGroup = (group: number, h: GroupHandler): HandlerTable => ({ ...DEFAULT_HANDLERS, [group]: h });

/** #9 crypto key use: the usage check and the key read as two owner messages (the bytes may be another version's). */
const aesKeyUseSplit: GroupHandler = cryptoHandler({
  engine: new InlineEngine(CRYPTO_JOBS),
  families: {
    ...DEFAULT_CRYPTO_FAMILIES,
    [WcAlgo.CIPHER]: (ctx, req) =>
      aesFamily(
        {
          ...ctx,
          keys: {
            ...ctx.keys,
            readForUse: async (k, usage, capacity) => {
              const checked = await ctx.keys.readForUse(k, usage, capacity);
              return checked.rc !== 0 ? checked : ctx.keys.readForUse(k, 0, capacity);
            },
          },
        },
        req,
      ),
  },
});

/**
 * SHE LOAD_KEY (spec-cert-she-custom 2.6) with the target's counter check in one owner
 * message and the write in another: two updates can both pass the check, and the
 * smaller counter may land last.
 */
const sheLoadKeySplit: GroupHandler = (() => {
  const real = sheHandler(new InlineEngine(CRYPTO_JOBS));
  return async (ctx, req) => {
    if (req.action !== SheAction.LOAD_KEY) return real(ctx, req);
    const le = req.header.littleEndian;
    const r = SheLoadKeyRequest.decode(req.payload, le)!;
    const fail = (rc: number) => reply(SheLoadKeyResponse.encode({ rc, m4: new Uint8Array(32), m5: new Uint8Array(16) }, le));
    const user = ctx.session.clientId;
    const auth = await ctx.owner.call(ctx.session.sessionId, 'nvm.readClamped', { id: sheKeyId(user, authSlotOf(r.m1)), offset: 0, len: 16 });
    const plain = auth.rc === 0 ? openKeyUpdate(auth.value, r.m1, r.m2, r.m3) : null;
    if (!plain) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    const id = sheKeyId(user, targetSlotOf(r.m1));
    const meta = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id });
    if (meta.rc === 0 && counterOf(plain) <= sheKeyMeta(meta.value.label).counter) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    // ... another update of the slot may run here ...
    const label = sheLabel(counterOf(plain), storedFlagsOf(plain));
    const w = await ctx.owner.call(ctx.session.sessionId, 'nvm.addObject', { meta: makeMetadata({ id, access: 0, flags: 0, len: 16, label }), data: plain.slice(16) });
    if (w.rc !== 0) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    const { m4, m5 } = proofMessages(r.m1.subarray(0, 15), targetSlotOf(r.m1), authSlotOf(r.m1), plain.slice(16), counterOf(plain));
    return reply(SheLoadKeyResponse.encode({ rc: 0, m4, m5 }, le));
  };
})();

/** Crypto keys with one call split in two owner messages (the rest of the CRYPTO group as it is). */
function pkWithKeys(patch: (keys: CryptoKeys, ctx: Parameters<CryptoFamily>[0]) => Partial<CryptoKeys>): GroupHandler {
  return cryptoHandler({
    engine: new InlineEngine(CRYPTO_JOBS),
    families: {
      ...DEFAULT_CRYPTO_FAMILIES,
      [WcAlgo.PK]: (ctx, req) => pkFamily()({ ...ctx, keys: { ...ctx.keys, ...patch(ctx.keys, ctx) } }, req),
    },
  });
}

/** A generated key's id picked in one owner message and the key cached under it in another. */
const pkKeygenUniqueIdSplit = pkWithKeys((keys, ctx) => ({
  cacheGenerated: async (k, flags, label, data, reserve) => {
    const id = keys.internalId(k);
    if (!isUnassignedKeyId(id)) return keys.cacheGenerated(k, flags, label, data, reserve);
    const u = await ctx.handler.owner.call(ctx.handler.session.sessionId, 'key.getUniqueId', { local: ctx.handler.session.localCache, typeUser: id });
    if (u.rc !== 0) return u;
    return keys.cacheGenerated(keyIdToClient(u.value, ctx.handler.config.keyFeatures), flags, label, data, reserve);
  },
}));

/** The usage check and the key read of a PK operation as two owner messages. */
const pkKeyUseSplit = pkWithKeys((keys) => ({
  loadForUse: async (k, usage) => {
    const checked = await keys.loadForUse(k, usage);
    return checked.rc !== 0 ? checked : keys.loadForUse(k, 0);
  },
}));

/** CERT with one action replaced; the rest goes to the real handler. */
function certWith(action: number, split: (real: GroupHandler) => GroupHandler): GroupHandler {
  const real = certHandler(new InlineEngine(CRYPTO_JOBS));
  const broken = split(real);
  return (ctx, req) => (req.action === action ? broken(ctx, req) : real(ctx, req));
}

/** ERASETRUSTED as a protection check, then an unchecked destroy: a root made NONDESTROYABLE in between is erased. */
const certEraseSplit = certWith(CertAction.ERASETRUSTED, () => async (ctx, req) => {
  const le = req.header.littleEndian;
  const id = CertIdRequest.decode(req.payload, le)!.id;
  const answer = (rc: number) => reply(CertSimpleResponse.encode({ rc }, le));
  const m = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id });
  if (m.rc === 0 && m.value.flags & (NvmFlags.TRUSTED | NvmFlags.NONDESTROYABLE)) return answer(WhError.ACCESS);
  return answer((await ctx.owner.call(ctx.session.sessionId, 'nvm.destroyObjects', { ids: [id] })).rc);
});

/** VERIFY with leaf caching as root reads, the walk, then a key insert with nothing re-checked. */
const certVerifyLeafSplit = certWith(CertAction.VERIFY, () => async (ctx, req) => {
  const le = req.header.littleEndian;
  const r = CertVerifyRequest.decode(req.payload, le)!;
  const f = ctx.config.keyFeatures;
  const keyId = keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, r.keyId, f);
  const answer = (rc: number, id: number) => reply(CertVerifyResponse.encode({ rc, keyId: keyIdToClient(id, f) }, le));
  const reads = await ctx.owner.call(ctx.session.sessionId, 'cert.verifyReads', { local: ctx.session.localCache, rootIds: [r.rootId], maxCertSize: ctx.config.dataLen });
  if (reads.rc !== 0) return answer(reads.rc, keyId);
  const args = { ...reads.value, chain: r.data.subarray(0, r.certLen), now: Date.now(), wantLeafKey: (r.flags & CertFlags.CACHE_LEAF_PUBKEY) !== 0 };
  const v = await new InlineEngine(CRYPTO_JOBS).run<VerifyChainResult>(CertJob.VERIFY_CHAIN, args);
  if (v.rc !== 0 || !v.leafSpki) return answer(v.rc, keyId);
  // The real handler's walk runs on a worker: a turn of the event loop passes before the commit.
  await new Promise((r) => setImmediate(r));
  // ... the root may be erased here ...
  const label = new TextEncoder().encode('cert_pubkey');
  const c = await ctx.owner.call(ctx.session.sessionId, 'key.cacheGenerated', { local: ctx.session.localCache, id: keyId, flags: r.cachedKeyFlags, label, data: v.leafSpki });
  return c.rc === 0 ? answer(0, c.value) : answer(WhError.CERT_VERIFY, keyId);
});

export const BROKEN_HANDLERS = {
  'counter increment (#17)': withGroup(Group.COUNTER, counterIncrementSplit),
  'nvm read (#14)': withGroup(Group.NVM, nvmReadSplit),
  'nvm add (#12)': withGroup(Group.NVM, nvmAddSplit),
  'nvm destroy (#13)': withGroup(Group.NVM, nvmDestroySplit),
  'key cache with a picked id (#1)': withGroup(Group.KEY, keyCacheUniqueIdSplit),
  'key export (#7)': withGroup(Group.KEY, keyExportSplit),
  'key cache with an explicit id (#2)': withGroup(Group.KEY, keyCacheSplit),
  'key evict (#3)': withGroup(Group.KEY, keyEvictSplit),
  'key erase (#4)': withGroup(Group.KEY, keyEraseSplit),
  'key revoke (#6)': withGroup(Group.KEY, keyRevokeSplit),
  'key export dma (#8)': withGroup(Group.KEY, keyExportDmaSplit),
  'add with reclaim (#19)': withGroup(Group.COUNTER, counterInitReclaimSplit),
  'key commit (#5)': withGroup(Group.KEY, keyCommitSplit),
  'crypto key use (#9)': withGroup(Group.CRYPTO, aesKeyUseSplit),
  'she load key': withGroup(Group.SHE, sheLoadKeySplit),
  'pk keygen unique id': withGroup(Group.CRYPTO, pkKeygenUniqueIdSplit),
  'pk key use': withGroup(Group.CRYPTO, pkKeyUseSplit),
  'cert erase trusted': withGroup(Group.CERT, certEraseSplit),
  'cert verify with leaf key': withGroup(Group.CERT, certVerifyLeafSplit),
} as const;

import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { KeyType } from '../../src/keystore/key-id.js';
import { KeyCache } from '../../src/keystore/key-cache.js';
import {
  cacheFor,
  cacheKey,
  cacheKeyAssigning,
  cacheRandomAssigning,
  commitKeyChecked,
  eraseKeyChecked,
  evictKeyChecked,
  exportDmaKey,
  finishDmaCache,
  freshenKey,
  getUniqueId,
  prepareDmaCache,
  readKeyChecked,
  revokeKey,
} from '../../src/keystore/keystore.js';
import { enforceKeyUsage } from '../../src/keystore/key-policy.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { bytes, keyMeta, keystore, kid } from '../helpers/keystore-fixture.js';

const { NOTFOUND, NOSPACE, BADARGS, ACCESS, ABORTED, OK, USAGE } = WhError;

describe('keystore rows of the edge-case table (spec-core 9)', () => {
  it('unassigned id (ID 0, non-SHE) to freshen / read / evict / commit / erase / revoke: BADARGS', () => {
    const { ctx } = keystore();
    const id = kid(0);
    expect(freshenKey(ctx, id).rc).toBe(BADARGS);
    expect(readKeyChecked(ctx, id, 100).rc).toBe(BADARGS);
    expect(evictKeyChecked(ctx, id)).toBe(BADARGS);
    expect(commitKeyChecked(ctx, id)).toBe(BADARGS);
    expect(eraseKeyChecked(ctx, id)).toBe(BADARGS);
    expect(revokeKey(ctx, id)).toBe(BADARGS);
  });

  it('cache with an unassigned id picks 255 downward, skipping ids used in the cache or in NVM', () => {
    const { ctx, nvm } = keystore();
    expect(cacheKeyAssigning(ctx, keyMeta(kid(0), 4), bytes(4))).toEqual({ rc: 0, value: kid(255) });
    nvm.addObject(makeMetadata({ id: kid(254), len: 1 }), bytes(1));
    expect(cacheKeyAssigning(ctx, keyMeta(kid(0), 4), bytes(4))).toEqual({ rc: 0, value: kid(253) });
    // Another client's numbers are a different USER: client 2 starts at 255 too.
    expect(cacheKeyAssigning({ ...ctx, local: new KeyCache() }, keyMeta(kid(0, 2), 4), bytes(4))).toEqual({ rc: 0, value: kid(255, 2) });
  });

  it('no free id left: NOSPACE; GetUniqueId for WRAPPED or HW type: BADARGS', () => {
    const { ctx, nvm } = keystore({ objectCount: 300, partitionSize: 65536, cache: { count: 2, bufSize: 8, bigCount: 0, bigBufSize: 0 } });
    void nvm;
    for (let n = 1; n <= 255; n++) ctx.nvm!.addObject(makeMetadata({ id: kid(n), len: 0 }), null, 0);
    expect(getUniqueId(ctx, kid(0)).rc).toBe(NOSPACE);
    expect(cacheKeyAssigning(ctx, keyMeta(kid(0), 4), bytes(4)).rc).toBe(NOSPACE);
    expect(getUniqueId(ctx, kid(0, 1, KeyType.WRAPPED)).rc).toBe(BADARGS);
    expect(getUniqueId(ctx, kid(0, 1, KeyType.HW)).rc).toBe(BADARGS);
  });

  it('size larger than both buffers: BADARGS; the size class is strict (never spills into the other array)', () => {
    const { ctx } = keystore({ cache: { count: 1, bufSize: 16, bigCount: 1, bigBufSize: 64 } });
    expect(cacheKey(ctx, keyMeta(kid(1), 65), bytes(65))).toBe(BADARGS);
    expect(cacheKey(ctx, keyMeta(kid(1), 16), bytes(16))).toBe(OK);
    expect(cacheKey(ctx, keyMeta(kid(2), 8), bytes(8))).toBe(NOSPACE); // regular full of dirty keys, big slot free
    expect(cacheKey(ctx, keyMeta(kid(3), 17), bytes(17))).toBe(OK); // into the big slot
    expect(ctx.local.entries().map((e) => [e.id, e.big])).toEqual([
      [kid(1), false],
      [kid(3), true],
    ]);
  });

  it('re-cache of a cached id whose new size class is full: NOSPACE and the old copy is already gone', () => {
    const { ctx } = keystore({ cache: { count: 2, bufSize: 16, bigCount: 1, bigBufSize: 64 } });
    expect(cacheKey(ctx, keyMeta(kid(1), 20), bytes(20))).toBe(OK); // big
    expect(cacheKey(ctx, keyMeta(kid(2), 4), bytes(4))).toBe(OK);
    expect(cacheKey(ctx, keyMeta(kid(3), 4), bytes(4))).toBe(OK); // regular now full of dirty keys
    expect(cacheKey(ctx, keyMeta(kid(1), 4), bytes(4))).toBe(NOSPACE);
    expect(readKeyChecked(ctx, kid(1), 100).rc).toBe(NOTFOUND);
  });

  it('export/read into a buffer smaller than the key: NOSPACE; NONEXPORTABLE: ACCESS; revoked but exportable: allowed', () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1), 10), bytes(10));
    expect(readKeyChecked(ctx, kid(1), 9).rc).toBe(NOSPACE);
    expect(readKeyChecked(ctx, kid(1), 10)).toMatchObject({ rc: 0, value: { data: bytes(10) } });
    cacheKey(ctx, keyMeta(kid(2), 4, NvmFlags.NONEXPORTABLE), bytes(4));
    expect(readKeyChecked(ctx, kid(2), 100).rc).toBe(ACCESS);
    cacheKey(ctx, keyMeta(kid(3), 4, NvmFlags.USAGE_SIGN), bytes(4, 9));
    expect(revokeKey(ctx, kid(3))).toBe(OK);
    expect(readKeyChecked(ctx, kid(3), 100)).toMatchObject({ rc: 0, value: { data: bytes(4, 9) } });
  });

  it('TRUSTED key: every management op is ACCESS', () => {
    const { ctx, nvm } = keystore();
    nvm.addObject(makeMetadata({ id: kid(7), len: 4, flags: NvmFlags.TRUSTED }), bytes(4));
    expect(readKeyChecked(ctx, kid(7), 100).rc).toBe(ACCESS);
    expect(cacheKey(ctx, keyMeta(kid(7), 4), bytes(4))).toBe(ACCESS);
    expect(evictKeyChecked(ctx, kid(7))).toBe(ACCESS);
    expect(commitKeyChecked(ctx, kid(7))).toBe(ACCESS);
    expect(eraseKeyChecked(ctx, kid(7))).toBe(ACCESS);
    expect(revokeKey(ctx, kid(7))).toBe(ACCESS);
    expect(nvm.getMetadata(kid(7)).rc).toBe(OK);
  });

  it('HW-type ids (hardware keystore built in): ACCESS for every keystore op', () => {
    const { ctx } = keystore({ features: { globalKeys: true, keyWrap: true, hwKeystore: true } });
    const hw = kid(3, 1, KeyType.HW);
    expect(cacheKey(ctx, keyMeta(hw, 4), bytes(4))).toBe(ACCESS);
    expect(readKeyChecked(ctx, hw, 100).rc).toBe(ACCESS);
    expect(evictKeyChecked(ctx, hw)).toBe(ACCESS);
    expect(commitKeyChecked(ctx, hw)).toBe(ACCESS);
    expect(eraseKeyChecked(ctx, hw)).toBe(ACCESS);
    expect(revokeKey(ctx, hw)).toBe(ACCESS);
  });

  it('cache over a NONMODIFIABLE key: ACCESS', () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1), 4, NvmFlags.NONMODIFIABLE), bytes(4));
    expect(cacheKey(ctx, keyMeta(kid(1), 4), bytes(4, 5))).toBe(ACCESS);
    expect(readKeyChecked(ctx, kid(1), 10)).toMatchObject({ rc: 0, value: { data: bytes(4) } });
  });

  it('evict: dirty NONMODIFIABLE/NONDESTROYABLE → ACCESS, committed copy → allowed; NVM-only → NOTFOUND (or ACCESS by its flags)', () => {
    const { ctx, nvm } = keystore();
    cacheKey(ctx, keyMeta(kid(1), 4, NvmFlags.NONDESTROYABLE), bytes(4));
    expect(evictKeyChecked(ctx, kid(1))).toBe(ACCESS);
    expect(commitKeyChecked(ctx, kid(1))).toBe(OK);
    expect(evictKeyChecked(ctx, kid(1))).toBe(OK);
    expect(evictKeyChecked(ctx, kid(1))).toBe(ACCESS); // now NVM-only, flags forbid
    nvm.addObject(makeMetadata({ id: kid(2), len: 4 }), bytes(4));
    expect(evictKeyChecked(ctx, kid(2))).toBe(NOTFOUND);
  });

  it("evict of another client's local key: NOTFOUND (a different USER is a different id)", () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1, 1), 4), bytes(4));
    expect(evictKeyChecked(ctx, kid(1, 2))).toBe(NOTFOUND);
    expect(ctx.local.find(kid(1, 1))).toBeDefined();
  });

  it('commit of a key not cached: NOTFOUND; commit / erase of a WRAPPED id: ABORTED', () => {
    const { ctx, nvm } = keystore();
    expect(commitKeyChecked(ctx, kid(4))).toBe(NOTFOUND);
    nvm.addObject(makeMetadata({ id: kid(5), len: 4 }), bytes(4));
    expect(commitKeyChecked(ctx, kid(5))).toBe(NOTFOUND);
    const wrapped = kid(6, 1, KeyType.WRAPPED);
    expect(cacheKey(ctx, keyMeta(wrapped, 4), bytes(4))).toBe(OK);
    expect(commitKeyChecked(ctx, wrapped)).toBe(ABORTED);
    expect(eraseKeyChecked(ctx, wrapped)).toBe(ABORTED);
  });

  it('wrapped-type id not in cache: NOTFOUND (never loaded from NVM)', () => {
    const { ctx, nvm } = keystore();
    const wrapped = kid(6, 1, KeyType.WRAPPED);
    nvm.addObject(makeMetadata({ id: wrapped, len: 4 }), bytes(4));
    expect(freshenKey(ctx, wrapped).rc).toBe(NOTFOUND);
  });

  it('erase: absent → OK; NONMODIFIABLE committed key → ACCESS, cached copy evicted, NVM copy kept', () => {
    const { ctx, nvm } = keystore();
    expect(eraseKeyChecked(ctx, kid(9))).toBe(OK);
    cacheKey(ctx, keyMeta(kid(1), 4, NvmFlags.NONMODIFIABLE), bytes(4));
    expect(commitKeyChecked(ctx, kid(1))).toBe(OK);
    expect(eraseKeyChecked(ctx, kid(1))).toBe(ACCESS);
    expect(ctx.local.find(kid(1))).toBeUndefined();
    expect(nvm.getMetadata(kid(1)).rc).toBe(OK);
    cacheKey(ctx, keyMeta(kid(2), 4), bytes(4));
    commitKeyChecked(ctx, kid(2));
    expect(eraseKeyChecked(ctx, kid(2))).toBe(OK);
    expect(nvm.getMetadata(kid(2)).rc).toBe(NOTFOUND);
    expect(readKeyChecked(ctx, kid(2), 10).rc).toBe(NOTFOUND);
  });

  it('revoke: absent → NOTFOUND; sets NONMODIFIABLE and clears usage; persisted when in NVM; again → OK with no write', () => {
    const { ctx, nvm } = keystore();
    expect(revokeKey(ctx, kid(1))).toBe(NOTFOUND);
    cacheKey(ctx, keyMeta(kid(1), 4, NvmFlags.USAGE_ENCRYPT | NvmFlags.USAGE_SIGN), bytes(4));
    commitKeyChecked(ctx, kid(1));
    expect(revokeKey(ctx, kid(1))).toBe(OK);
    const stored = nvm.getMetadata(kid(1));
    expect(stored.rc === 0 && stored.value.flags).toBe(NvmFlags.NONMODIFIABLE);
    const before = nvm.getAvailable();
    expect(revokeKey(ctx, kid(1))).toBe(OK);
    expect(nvm.getAvailable()).toEqual(before); // no new version written
    expect(cacheKey(ctx, keyMeta(kid(1), 4), bytes(4))).toBe(ACCESS);
    // Cache-only key: only the cached copy changes.
    cacheKey(ctx, keyMeta(kid(2), 4, NvmFlags.USAGE_DECRYPT), bytes(4));
    expect(revokeKey(ctx, kid(2))).toBe(OK);
    expect(nvm.getMetadata(kid(2)).rc).toBe(NOTFOUND);
    expect(ctx.local.find(kid(2))?.meta?.flags).toBe(NvmFlags.NONMODIFIABLE);
  });

  it('revoke when the cache is full of dirty keys and the key is only in NVM: NOSPACE', () => {
    const { ctx, nvm } = keystore({ cache: { count: 1, bufSize: 16, bigCount: 0, bigBufSize: 0 } });
    cacheKey(ctx, keyMeta(kid(1), 4), bytes(4));
    nvm.addObject(makeMetadata({ id: kid(2), len: 4 }), bytes(4));
    expect(revokeKey(ctx, kid(2))).toBe(NOSPACE);
    // Plain export still works (opportunistic caching failure is ignored); DMA export needs a slot.
    expect(readKeyChecked(ctx, kid(2), 16)).toMatchObject({ rc: 0, value: { data: bytes(4) } });
    expect(exportDmaKey(ctx, kid(2), 16).rc).toBe(NOSPACE);
  });

  it('export from NVM caches the key opportunistically, committed, displacing only committed keys', () => {
    const { ctx, nvm } = keystore({ cache: { count: 2, bufSize: 16, bigCount: 0, bigBufSize: 0 } });
    nvm.addObject(makeMetadata({ id: kid(1), len: 4 }), bytes(4));
    nvm.addObject(makeMetadata({ id: kid(2), len: 4 }), bytes(4, 2));
    cacheKey(ctx, keyMeta(kid(3), 4), bytes(4)); // dirty
    expect(readKeyChecked(ctx, kid(1), 16).rc).toBe(OK);
    expect(ctx.local.find(kid(1))?.committed).toBe(true);
    expect(readKeyChecked(ctx, kid(2), 16).rc).toBe(OK); // evicts committed key 1, never dirty key 3
    expect(ctx.local.entries().map((e) => e.id).sort()).toEqual([kid(2), kid(3)].sort());
  });

  it('usage check missing a bit: USAGE; required 0: OK', () => {
    expect(enforceKeyUsage(NvmFlags.USAGE_SIGN, NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY)).toBe(USAGE);
    expect(enforceKeyUsage(NvmFlags.USAGE_SIGN | NvmFlags.USAGE_VERIFY, NvmFlags.USAGE_SIGN)).toBe(OK);
    expect(enforceKeyUsage(0, 0)).toBe(OK);
  });

  it('without an NVM: erase OK, evict/export miss NOTFOUND, commit BADARGS; "global" keys live in the local cache', () => {
    const { ctx } = keystore({ noNvm: true });
    expect(eraseKeyChecked(ctx, kid(1))).toBe(OK);
    expect(evictKeyChecked(ctx, kid(1))).toBe(NOTFOUND);
    expect(readKeyChecked(ctx, kid(1), 10).rc).toBe(NOTFOUND);
    expect(cacheKey(ctx, keyMeta(kid(1, 0), 4), bytes(4))).toBe(OK);
    expect(cacheFor(ctx, kid(1, 0))).toBe(ctx.local);
    expect(commitKeyChecked(ctx, kid(1, 0))).toBe(BADARGS);
  });

  it('USER 0 routes to the global cache when there is an NVM', () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1, 0), 4), bytes(4));
    expect(ctx.global!.find(kid(1, 0))).toBeDefined();
    expect(ctx.local.find(kid(1, 0))).toBeUndefined();
  });

  it('cache random: len 0 → BADARGS; otherwise a dirty key of RNG bytes under a picked id', () => {
    const { ctx } = keystore();
    expect(cacheRandomAssigning(ctx, keyMeta(kid(0), 0)).rc).toBe(BADARGS);
    const r = cacheRandomAssigning(ctx, keyMeta(kid(0), 5));
    expect(r).toEqual({ rc: 0, value: kid(255) });
    expect(readKeyChecked(ctx, kid(255), 10)).toMatchObject({ rc: 0, value: { data: Uint8Array.from([1, 2, 3, 4, 5]) } });
  });

  it('DMA cache: a failed transfer wipes the prepared slot (and the old copy is gone)', () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1), 4), bytes(4));
    expect(prepareDmaCache(ctx, keyMeta(kid(1), 0))).toEqual({ rc: 0, value: kid(1) });
    expect(finishDmaCache(ctx, kid(1), null)).toBe(OK);
    expect(readKeyChecked(ctx, kid(1), 10).rc).toBe(NOTFOUND);
    expect(prepareDmaCache(ctx, keyMeta(kid(0), 3))).toEqual({ rc: 0, value: kid(255) });
    expect(finishDmaCache(ctx, kid(255), bytes(3))).toBe(OK);
    expect(readKeyChecked(ctx, kid(255), 10)).toMatchObject({ rc: 0, value: { data: bytes(3) } });
  });

  it('a committed key survives eviction and is loaded again by freshen (committed = 1)', () => {
    const { ctx } = keystore();
    cacheKey(ctx, keyMeta(kid(1), 4), bytes(4, 40));
    commitKeyChecked(ctx, kid(1));
    evictKeyChecked(ctx, kid(1));
    const f = freshenKey(ctx, kid(1));
    expect(f.rc).toBe(OK);
    expect(f.rc === 0 && f.value.committed).toBe(true);
    expect(readKeyChecked(ctx, kid(1), 10)).toMatchObject({ rc: 0, value: { data: bytes(4, 40) } });
  });

  it('committing the same key many times keeps working (compaction reclaims old versions)', () => {
    const { ctx, nvm } = keystore({ objectCount: 8 });
    cacheKey(ctx, keyMeta(kid(1), 32), bytes(32));
    for (let i = 0; i < 40; i++) expect(commitKeyChecked(ctx, kid(1))).toBe(OK);
    const a = nvm.getAvailable();
    expect(a.rc === 0 && a.value.availObjects).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { cacheKey, commitKeyChecked, readKeyChecked } from '../../src/keystore/keystore.js';
import { bytes, keyMeta, keystore, kid } from '../helpers/keystore-fixture.js';

const CACHE = { count: 8, bufSize: 256, bigCount: 3, bigBufSize: 1200 };

describe('key cache pressure (spec-core 4.3)', () => {
  it('fills all 8 regular and 3 big slots; the next key of either class gets NOSPACE while all are dirty', () => {
    const { ctx } = keystore({ cache: CACHE });
    for (let n = 1; n <= 8; n++) expect(cacheKey(ctx, keyMeta(kid(n), 256), bytes(256, n))).toBe(WhError.OK);
    for (let n = 9; n <= 11; n++) expect(cacheKey(ctx, keyMeta(kid(n), 1200), bytes(1200, n))).toBe(WhError.OK);
    expect(cacheKey(ctx, keyMeta(kid(20), 1), bytes(1))).toBe(WhError.NOSPACE);
    expect(cacheKey(ctx, keyMeta(kid(21), 257), bytes(257))).toBe(WhError.NOSPACE);
    // Nothing was lost to make room.
    for (let n = 1; n <= 11; n++) expect(readKeyChecked(ctx, kid(n), 2000).rc).toBe(WhError.OK);
  });

  it('only committed slots are evicted, the lowest-index one first, and only within the size class', () => {
    const { ctx } = keystore({ cache: CACHE });
    for (let n = 1; n <= 8; n++) cacheKey(ctx, keyMeta(kid(n), 16), bytes(16, n));
    for (let n = 9; n <= 11; n++) cacheKey(ctx, keyMeta(kid(n), 600), bytes(600, n));
    expect(commitKeyChecked(ctx, kid(6))).toBe(WhError.OK);
    expect(commitKeyChecked(ctx, kid(3))).toBe(WhError.OK);
    expect(commitKeyChecked(ctx, kid(10))).toBe(WhError.OK);

    expect(cacheKey(ctx, keyMeta(kid(30), 16), bytes(16))).toBe(WhError.OK); // takes key 3's slot
    const regular = ctx.local.regular.map((s) => s.meta?.id);
    expect(regular[2]).toBe(kid(30));
    expect(regular).toContain(kid(6));
    expect(cacheKey(ctx, keyMeta(kid(31), 16), bytes(16))).toBe(WhError.OK); // then key 6's
    expect(cacheKey(ctx, keyMeta(kid(32), 16), bytes(16))).toBe(WhError.NOSPACE); // key 10 is committed but big
    expect(cacheKey(ctx, keyMeta(kid(33), 700), bytes(700))).toBe(WhError.OK); // big class evicts key 10
    expect(ctx.local.big.map((s) => s.meta?.id)).toEqual([kid(9), kid(33), kid(11)]);

    // Evicted committed keys are still in NVM and come back through export.
    expect(readKeyChecked(ctx, kid(3), 100)).toMatchObject({ rc: 0, value: { data: bytes(16, 3) } });
  });

  it('global and local caches fill independently', () => {
    const { ctx } = keystore({ cache: { count: 2, bufSize: 16, bigCount: 0, bigBufSize: 0 } });
    expect(cacheKey(ctx, keyMeta(kid(1, 0), 4), bytes(4))).toBe(WhError.OK);
    expect(cacheKey(ctx, keyMeta(kid(2, 0), 4), bytes(4))).toBe(WhError.OK);
    expect(cacheKey(ctx, keyMeta(kid(3, 0), 4), bytes(4))).toBe(WhError.NOSPACE);
    expect(cacheKey(ctx, keyMeta(kid(1, 1), 4), bytes(4))).toBe(WhError.OK);
    expect(cacheKey(ctx, keyMeta(kid(2, 1), 4), bytes(4))).toBe(WhError.OK);
    expect(ctx.global!.entries()).toHaveLength(2);
    expect(ctx.local.entries()).toHaveLength(2);
  });
});

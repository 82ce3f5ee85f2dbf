import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { generateKvHistory, generateRegisterHistory } from '../../src/lin/generate.js';
import { kvModel } from '../../src/lin/models/kv.js';
import { casRegisterModel } from '../../src/lin/models/register.js';
import { ddmin, shrinkHistory, unexplained } from '../../src/lin/shrink.js';
import type { Model, Operation } from '../../src/lin/types.js';

/** The smallest illegal subset whose every output keeps a cause, by trying all 2^n subsets (n ≤ 15). */
function bruteForceMinimum<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): number {
  const exempt = new Set(unexplained(model, ops, new Set(), 1000, undefined, Infinity));
  let min = Infinity;
  for (let mask = 1; mask < 1 << ops.length; mask++) {
    let size = 0;
    for (let m = mask; m; m &= m - 1) size++;
    if (size >= min) continue;
    const sub = ops.filter((_, i) => (mask >> i) & 1);
    if (checkOperations(model, sub).verdict === 'illegal' && unexplained(model, sub, exempt, 1000).length === 0) min = size;
  }
  return min;
}

const small = { clients: 3, opsPerClient: 5, mutate: true, maxGap: 4, maxDuration: 6 };
const cases = [
  ...[1, 2, 3, 4, 9, 17].map((seed) => ['register', seed, casRegisterModel, generateRegisterHistory({ seed, ...small })] as const),
  ...[1, 2, 12, 13].map((seed) => ['kv', seed, kvModel, generateKvHistory({ seed, keys: 2, ...small })] as const),
];

describe('shrinking a non-linearizable history', () => {
  it('ddmin finds a 1-minimal failing subset', () => {
    const fails = (xs: number[]) => xs.includes(3) && xs.includes(7);
    expect(ddmin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], fails)).toEqual([3, 7]);
  });

  it.each(cases)('%s seed %i: still illegal, every output still caused, no larger than the brute-force minimum', (_kind, _seed, model, ops) => {
    const m = model as Model<unknown, unknown, unknown>;
    const h = ops as readonly Operation<unknown, unknown>[];
    expect(checkOperations(m, h).verdict).toBe('illegal');
    const s = shrinkHistory(m, h)!;
    expect(s.result.verdict).toBe('illegal');
    expect(checkOperations(m, s.ops).verdict).toBe('illegal');
    expect(s.ops.every((o) => h.includes(o))).toBe(true);
    expect(s.ops.length).toBeLessThanOrEqual(bruteForceMinimum(m, h));
    expect(s.minimum).toBe(true);
    const exempt = new Set(unexplained(m, h, new Set(), 1000, undefined, Infinity));
    expect(unexplained(m, s.ops, exempt, 1000)).toEqual([]);
  });

  it('a 1,000-operation register history shrinks to a handful of operations', () => {
    const h = generateRegisterHistory({ seed: 1, clients: 20, opsPerClient: 50, mutate: true });
    const s = shrinkHistory(casRegisterModel, h, { totalMs: 20_000 })!;
    expect(s.originalSize).toBe(1000);
    expect(s.result.verdict).toBe('illegal');
    expect(s.ops.length).toBeLessThanOrEqual(6);
  });

  it('a linearizable history has nothing to shrink', () => {
    expect(shrinkHistory(casRegisterModel, generateRegisterHistory({ seed: 5, clients: 3, opsPerClient: 5 }))).toBeUndefined();
  });
});

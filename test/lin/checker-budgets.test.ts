import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { kvModel, type KvInput, type KvOutput, type KvState } from '../../src/lin/models/kv.js';
import { casRegisterModel, type RegisterInput, type RegisterOutput } from '../../src/lin/models/register.js';
import { ILLEGAL, type Model, type Operation } from '../../src/lin/types.js';

type Kv = Operation<KvInput, KvOutput>;

/**
 * Key 'hard': 11 concurrent appends, then a get that sees them in the reverse of
 * the order the search tries first (linearizable, but ~11! configurations away).
 * Key 'easy': 14 sequential operations ending in a wrong read. Smallest-first
 * order checks 'hard' (12 ops) first and never reaches 'easy'.
 */
function partitionOrderHistory(): Kv[] {
  const ops = hardKey(12);
  for (let i = 0; i < 13; i++) ops.push({ client: 20, input: { op: 'put', key: 'easy', value: `v${i}` }, call: 30 + 2 * i, ret: 31 + 2 * i, output: {} });
  ops.push({ client: 20, input: { op: 'get', key: 'easy' }, call: 100, ret: 101, output: { value: 'v3' } });
  return ops;
}

/** n-1 concurrent appends then a get seeing them in reverse order: linearizable, the last order tried. */
function hardKey(n: number): Kv[] {
  const ops: Kv[] = [];
  for (let i = 0; i < n - 1; i++) ops.push({ client: i, input: { op: 'append', key: 'hard', value: `<${i}>` }, call: 0, ret: 10, output: {} });
  const all = Array.from({ length: n - 1 }, (_, i) => `<${n - 2 - i}>`).join('');
  ops.push({ client: 0, input: { op: 'get', key: 'hard' }, call: 20, ret: 21, output: { value: all } });
  return ops;
}

/** Every step legal, states never repeat: the search tree is n! and the table only grows. */
function endlessModel(): Model<number, number, number> {
  let counter = 0;
  return {
    name: 'endless',
    init: () => 0,
    step: (_s, _i, o) => (o === undefined || o >= 0 ? ++counter : ILLEGAL),
    hash: (s) => s,
    equal: (a, b) => a === b,
  };
}
const endlessOps = (n: number): Operation<number, number>[] => Array.from({ length: n }, (_, i) => ({ client: i, input: i, call: 0, ret: 100, output: i === n - 1 ? -1 : 0 }));

describe('partition scheduling', () => {
  it('a cheap violation in one key is found although another key is hard (fair slices, not smallest first)', () => {
    const res = checkOperations(kvModel, partitionOrderHistory(), { timeoutMs: 5_000 });
    expect(res.verdict).toBe('illegal');
    expect(res.violation!.stuck.input).toEqual({ op: 'get', key: 'easy' });
    // Found within the first rounds of slices, not after the hard key's millions of steps.
    expect(res.steps).toBeLessThan(20_000);
    expect(res.outcomes[res.violation!.partition]!.verdict).toBe('illegal');
  });

  it('still proves linearizable when every partition is done, across many rounds', () => {
    const ops = hardKey(7);
    ops.push(...hardKey(6).map((o) => ({ ...o, input: { ...o.input, key: 'other' } })));
    const res = checkOperations(kvModel, ops, { timeoutMs: 0, firstSlice: 16 });
    expect(res.verdict).toBe('ok');
    expect(res.outcomes.map((o) => o.linearization?.length)).toEqual([6, 7]);
    expect(res.steps).toBeGreaterThan(16 * 4); // several rounds of slices
  });

  it('the deadline holds across partitions: a clock past it stops the check before the next partition', () => {
    const m: Model<number | null, RegisterInput & { key: number }, RegisterOutput> = {
      ...casRegisterModel,
      partition: (h) => {
        const by = new Map<number, Operation<RegisterInput & { key: number }, RegisterOutput>[]>();
        for (const o of h) by.set(o.input.key, [...(by.get(o.input.key) ?? []), o]);
        return [...by.values()];
      },
    };
    const keyed = Array.from({ length: 2_000 }, (_, k) => ({ client: k, input: { op: 'write' as const, value: k, key: k }, call: 0, ret: 1, output: {} }));
    let t = 0;
    const res = checkOperations(m, keyed, { timeoutMs: 5, now: () => (t += 1) });
    expect(res.verdict).toBe('unknown');
    expect(res.exhausted).toBe('time');
    const decided = res.outcomes.filter((o) => o.verdict === 'ok').length;
    expect(decided).toBeGreaterThan(0);
    expect(decided).toBeLessThan(10);
  });
});

describe('budgets: always an answer', () => {
  it('a search that runs out of time says unknown with the steps and states it explored', () => {
    const res = checkOperations(endlessModel(), endlessOps(40), { timeoutMs: 50 });
    expect(res.verdict).toBe('unknown');
    expect(res.exhausted).toBe('time');
    expect(res.steps).toBeGreaterThan(0);
    expect(res.states).toBeGreaterThan(0);
  });

  it('a history that exhausts memory answers unknown within its memory budget, with no time limit', () => {
    const budget = 64 * 1024 * 1024;
    const res = checkOperations(endlessModel(), endlessOps(40), { timeoutMs: 0, memoryBytes: budget });
    expect(res.verdict).toBe('unknown');
    expect(res.exhausted).toBe('memory');
    expect(res.states).toBeGreaterThan(100_000);
  });

  it('timeoutMs 0 means no time limit (porcupine): a hard linearizable history is decided', () => {
    const res = checkOperations(kvModel, hardKey(8), { timeoutMs: 0 });
    expect(res.verdict).toBe('ok');
    expect(res.steps).toBeGreaterThan(10_000);
  });
});

describe('the deadline holds while the history is split', () => {
  it('200,000 one-operation partitions under a 1 ms budget: unknown before the grouping is done', () => {
    const ops: Operation<KvInput, KvOutput>[] = Array.from({ length: 200_000 }, (_, i) => ({
      client: i % 50,
      input: { op: 'put', key: `k${i}`, value: 'x' },
      call: 2 * i,
      ret: 2 * i + 1,
      output: { value: '' },
    }));
    let grouped = 0;
    const counting: Model<KvState, KvInput, KvOutput> = { ...kvModel, partitionKey: (o) => (grouped++, kvModel.partitionKey!(o)) };
    let t = 0;
    // A clock that moves 1 ms per reading: the budget is spent at the second look.
    const r = checkOperations(counting, ops, { timeoutMs: 1, now: () => t++ });
    expect(r.verdict).toBe('unknown');
    expect(r.exhausted).toBe('time');
    expect(grouped).toBeGreaterThan(0); // the checker grouped it itself, watching the clock
    expect(grouped).toBeLessThan(ops.length / 10);
    // With time to spare the same history is grouped whole and found linearizable.
    expect(checkOperations(kvModel, ops.slice(0, 2000)).verdict).toBe('ok');
  });
});

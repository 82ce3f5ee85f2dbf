import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { generateRegisterHistory } from '../../src/lin/generate.js';
import { casRegisterModel } from '../../src/lin/models/register.js';
import { determinize, type NondeterministicModel } from '../../src/lin/nondeterministic.js';
import type { Operation } from '../../src/lin/types.js';

/** A counter whose increment may be applied once or twice (a retried request): nondeterministic. */
const flakyCounter: NondeterministicModel<number, 'inc' | 'read', number> = {
  name: 'flaky-counter',
  init: () => [0],
  step: (s, input, output) => (input === 'inc' ? [s + 1, s + 2] : output === undefined || output === s ? [s] : []),
  hash: (s) => s,
  equal: (a, b) => a === b,
  describeState: (s) => String(s),
};
const op = (client: number, input: 'inc' | 'read', call: number, ret: number, output?: number): Operation<'inc' | 'read', number> => ({ client, input, call, ret, ...(output === undefined ? {} : { output }) });

describe('nondeterministic models (power-set construction)', () => {
  it('accepts any of the outcomes a step allows, and rejects the impossible ones', () => {
    const m = determinize(flakyCounter);
    expect(checkOperations(m, [op(0, 'inc', 0, 1), op(0, 'inc', 2, 3), op(1, 'read', 4, 5, 3)]).verdict).toBe('ok');
    expect(checkOperations(m, [op(0, 'inc', 0, 1), op(0, 'inc', 2, 3), op(1, 'read', 4, 5, 4)]).verdict).toBe('ok');
    const bad = checkOperations(m, [op(0, 'inc', 0, 1), op(0, 'inc', 2, 3), op(1, 'read', 4, 5, 5)]);
    expect(bad.verdict).toBe('illegal');
    expect(m.describeState!(bad.violation!.stateBefore)).toBe('one of {2, 3, 4}');
  });

  it('a deterministic model wrapped as nondeterministic gives the same verdicts', () => {
    const wrapped = determinize({ ...casRegisterModel, init: () => [casRegisterModel.init()], step: (s, i, o) => { const t = casRegisterModel.step(s, i, o); return typeof t === 'symbol' ? [] : [t]; } });
    for (let seed = 1; seed <= 6; seed++) {
      const h = generateRegisterHistory({ seed, clients: 4, opsPerClient: 30, mutate: seed % 2 === 0 });
      expect(checkOperations(wrapped, h).verdict).toBe(checkOperations(casRegisterModel, h).verdict);
    }
  });
});

describe('partial linearizations as an API', () => {
  it('every decided partition reports a linearization that replays through the model', () => {
    const h = generateRegisterHistory({ seed: 3, clients: 5, opsPerClient: 20 });
    const r = checkOperations(casRegisterModel, h);
    expect(r.verdict).toBe('ok');
    const out = r.outcomes[0]!;
    const order = out.linearization!;
    expect([...order].sort((a, b) => a - b)).toEqual(out.ops.map((_, i) => i).filter((i) => out.ops[i]!.ret !== null || order.includes(i)));
    let s = casRegisterModel.init();
    for (const i of order) {
      const o = out.ops[i]!;
      const t = casRegisterModel.step(s, o.input, o.ret === null ? undefined : o.output);
      expect(typeof t).not.toBe('symbol');
      s = t as typeof s;
    }
  });

  it('an illegal partition reports its longest partial linearizations and the alternatives', () => {
    const h = generateRegisterHistory({ seed: 1, clients: 4, opsPerClient: 30, mutate: true });
    const r = checkOperations(casRegisterModel, h);
    expect(r.verdict).toBe('illegal');
    const out = r.outcomes[r.violation!.partition]!;
    expect(out.verdict).toBe('illegal');
    expect(out.partial.length).toBeGreaterThanOrEqual(1);
    expect(out.partial[0]!.length).toBe(r.violation!.longestPrefix.length);
    expect(r.violation!.alternatives[0]!.prefix).toEqual(r.violation!.longestPrefix);
  });
});

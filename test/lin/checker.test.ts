import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { renderHistoryHtml } from '../../src/lin/html.js';
import { casRegisterModel, type RegisterInput, type RegisterOutput } from '../../src/lin/models/register.js';
import { kvModel } from '../../src/lin/models/kv.js';
import { HistoryRecorder, countOverlaps } from '../../src/lin/recorder.js';
import { formatReport } from '../../src/lin/report.js';
import { ILLEGAL, type Model, type Operation } from '../../src/lin/types.js';

type Op = Operation<RegisterInput, RegisterOutput>;
const w = (client: number, value: number, call: number, ret: number | null): Op => ({ client, input: { op: 'write', value }, call, ret, ...(ret === null ? {} : { output: {} }) });
const r = (client: number, value: number | null, call: number, ret: number): Op => ({ client, input: { op: 'read' }, call, ret, output: { value } });

describe('the linearizability checker', () => {
  it('accepts the textbook linearizable register history and rejects the textbook violation (6.824 quiz)', () => {
    expect(checkOperations(casRegisterModel, [w(0, 100, 0, 100), r(1, 100, 25, 75), r(2, null, 30, 60)]).verdict).toBe('ok');
    const bad = checkOperations(casRegisterModel, [w(0, 200, 0, 100), r(1, 200, 10, 30), r(2, null, 40, 90)]);
    expect(bad.verdict).toBe('illegal');
    expect(bad.violation!.stuck).toEqual(r(2, null, 40, 90));
    expect(bad.violation!.longestPrefix.map((o) => o.input.op)).toEqual(['write', 'read']);
    expect(bad.violation!.stateBefore).toBe(200);
  });

  it('touching intervals (a call at the same time as a return) count as concurrent', () => {
    expect(checkOperations(casRegisterModel, [w(0, 1, 0, 10), r(1, null, 10, 20)]).verdict).toBe('ok');
    expect(checkOperations(casRegisterModel, [w(0, 1, 0, 10), r(1, null, 11, 20)]).verdict).toBe('illegal');
  });

  it('a pending operation may or may not have happened, with any output', () => {
    // The write never returned: a later read may see it or not.
    expect(checkOperations(casRegisterModel, [w(0, 5, 0, null), r(1, 5, 10, 20)]).verdict).toBe('ok');
    expect(checkOperations(casRegisterModel, [w(0, 5, 0, null), r(1, null, 10, 20)]).verdict).toBe('ok');
    // But it cannot explain a value nobody wrote.
    expect(checkOperations(casRegisterModel, [w(0, 5, 0, null), r(1, 6, 10, 20)]).verdict).toBe('illegal');
  });

  it('partitions are independent (P-compositionality) and the failing one is reported', () => {
    const ops: Operation<{ op: 'get' | 'put' | 'append'; key: string; value?: string }, { value?: string }>[] = [
      { client: 0, input: { op: 'put', key: 'a', value: 'x' }, call: 0, ret: 1, output: {} },
      { client: 1, input: { op: 'get', key: 'a' }, call: 2, ret: 3, output: { value: 'x' } },
      { client: 0, input: { op: 'put', key: 'b', value: 'y' }, call: 4, ret: 5, output: {} },
      { client: 1, input: { op: 'get', key: 'b' }, call: 6, ret: 7, output: { value: 'z' } },
    ];
    const res = checkOperations(kvModel, ops);
    expect(res.partitions).toBe(2);
    expect(res.verdict).toBe('illegal');
    expect(res.violation!.stuck.input).toEqual({ op: 'get', key: 'b' });
  });

  it('a search that runs out of time says unknown, never ok', () => {
    // A model whose every step is legal but whose states never repeat: the search tree is n!.
    let counter = 0;
    const endless: Model<number, number, number> = {
      name: 'endless',
      init: () => 0,
      step: (_s, _i, o) => (o === undefined || o >= 0 ? ++counter : ILLEGAL),
      hash: (s) => s,
      equal: (a, b) => a === b,
    };
    const ops: Operation<number, number>[] = Array.from({ length: 40 }, (_, i) => ({ client: i, input: i, call: 0, ret: 100, output: i === 39 ? -1 : 0 }));
    const res = checkOperations(endless, ops, { timeoutMs: 50 });
    expect(res.verdict).toBe('unknown');
    expect(formatReport(endless, res)).toMatch(/NOT established/);
  });

  it('the report and the HTML timeline name the stuck operation, the prefix and the state', () => {
    const ops = [w(0, 200, 0, 100), r(1, 200, 10, 30), r(2, null, 40, 90)];
    const res = checkOperations(casRegisterModel, ops);
    const text = formatReport(casRegisterModel, res);
    expect(text).toMatch(/cannot place: \[client 2\] read\(\) -> nil/);
    expect(text).toMatch(/model state after it: 200/);
    expect(text).toMatch(/why: read returned nil, the register holds 200/);
    expect(text).toMatch(/write\(200\) .* nil -> 200/);
    const html = renderHistoryHtml(casRegisterModel, ops, res, 'quiz');
    expect(html).toContain('<tr class="stuck"><td>✗</td><td>2</td><td>read() -&gt; nil</td><td>200</td>');
    expect(html).toContain('<td>1</td><td>0</td><td>write(200)</td><td>nil</td><td>200</td>');
    expect(html).toContain('href="#first-error"');
  });
});

describe('the history recorder', () => {
  it('stamps calls and returns with one logical clock, streams them, and leaves failed calls pending', async () => {
    const rec = new HistoryRecorder<string, number>();
    const seen: string[] = [];
    rec.events$.subscribe((e) => seen.push(`${e.kind}:${e.id}`));
    let release!: () => void;
    const slow = rec.record('a', 'slow', () => new Promise<number>((res) => (release = () => res(1))));
    await rec.record('b', 'fast', async () => 2);
    const dead = rec.record('c', 'dies', () => Promise.reject(new Error('gone'))).catch(() => 'lost');
    release();
    expect(await slow).toBe(1);
    expect(await dead).toBe('lost');
    const h = rec.history();
    expect(h.map((o) => [o.client, o.call, o.ret])).toEqual([
      ['a', 1, 5],
      ['b', 2, 3],
      ['c', 4, null],
    ]);
    expect(seen).toEqual(['call:0', 'call:1', 'return:1', 'call:2', 'return:0']);
    expect(countOverlaps(h)).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { renderHistoryHtml } from '../../src/lin/html.js';
import { kvModel, type KvInput, type KvOutput } from '../../src/lin/models/kv.js';
import type { Operation } from '../../src/lin/types.js';

describe('the failure page data', () => {
  it('renders a million operations (no spread over them) and embeds them as data', () => {
    const n = 1_000_000;
    const ops: Operation<KvInput, KvOutput>[] = new Array(n);
    for (let i = 0; i < n; i++) ops[i] = { client: i % 50, input: { op: 'put', key: `k${i % 7}`, value: 'v' }, call: 2 * i, ret: 2 * i + 1, output: {} };
    const html = renderHistoryHtml(kvModel, ops, undefined, 'big');
    expect(html.length).toBeGreaterThan(n * 10);
    expect(html).toContain(`"lanes":["0","1","2","3","4","5","6","7","8","9","10",`);
  });

  it('lanes are in natural client order and partitions are kept apart', () => {
    const ops: Operation<KvInput, KvOutput>[] = [10, 2, 1, 0].map((c, i) => ({ client: c, input: { op: 'get', key: i < 3 ? 'a' : 'b' }, call: i, ret: i + 1, output: { value: '' } }));
    const html = renderHistoryHtml(kvModel, ops, checkOperations(kvModel, ops), 'order');
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]!) as { partitions: { lanes: string[] }[] };
    // String order would put 10 before 2; each partition draws only its own clients.
    expect(data.partitions.map((p) => p.lanes)).toEqual([['0'], ['1', '2', '10']]);
  });

  it('annotations are embedded with their labels', () => {
    const ops: Operation<KvInput, KvOutput>[] = [{ client: 0, input: { op: 'get', key: 'a' }, call: 0, ret: 1, output: { value: 'x' } }];
    const html = renderHistoryHtml(kvModel, ops, checkOperations(kvModel, ops), 'ann', { annotations: [{ client: 0, start: 0, end: 1, label: 'lease revoked', details: 'by the owner' }] });
    expect(html).toContain('"annotations":["0",0,1,');
    expect(html).toContain('lease revoked');
    expect(html).toContain('by the owner');
  });
});

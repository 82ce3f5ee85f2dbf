import { readFileSync, readdirSync } from 'node:fs';
import { checkOperations } from '../lin/checker.js';
import { generateKvHistory, generateRegisterHistory } from '../lin/generate.js';
import { kvModel, type KvInput, type KvOutput } from '../lin/models/kv.js';
import { casRegisterModel } from '../lin/models/register.js';
import { parseJepsenEtcdLog, parseKvLog } from '../lin/porcupine-logs.js';
import type { Operation } from '../lin/types.js';

/**
 * porcupine v1.3.0's times (seconds), NOT measured in this run (Go is not
 * installed here): recorded by the team on a 2-core machine of this workplace
 * (issue 5), and the partition-order figure from issue 16.
 */
const RECORDED = 'recorded (porcupine v1.3.0, team\'s 2-core machine)';
const PORCUPINE_S: Record<string, number | undefined> = { 'kv c50-ok': 0.19, 'kv c50-bad': 0.03, 'etcd (all logs)': 0.53, 'partition order': 0.001 };

/** Issue 16's constructed history: a hard linearizable key (11 concurrent appends) and a cheap violation in another. */
function partitionOrderHistory(): Operation<KvInput, KvOutput>[] {
  const ops: Operation<KvInput, KvOutput>[] = [];
  for (let i = 0; i < 11; i++) ops.push({ client: i, input: { op: 'append', key: 'hard', value: `<${i}>` }, call: 0, ret: 10, output: {} });
  ops.push({ client: 0, input: { op: 'get', key: 'hard' }, call: 20, ret: 21, output: { value: Array.from({ length: 11 }, (_, i) => `<${10 - i}>`).join('') } });
  for (let i = 0; i < 13; i++) ops.push({ client: 20, input: { op: 'put', key: 'easy', value: `v${i}` }, call: 30 + 2 * i, ret: 31 + 2 * i, output: {} });
  ops.push({ client: 20, input: { op: 'get', key: 'easy' }, call: 100, ret: 101, output: { value: 'v3' } });
  return ops;
}

const verdicts = (vs: string[]) => {
  const count = new Map<string, number>();
  for (const v of vs) count.set(v, (count.get(v) ?? 0) + 1);
  return [...count].map(([v, n]) => `${n} ${v}`).join(', ');
};

/** Times to check porcupine's bundled histories and generated sets (fixed seeds); best of rounds after one warm-up. */
export function checkerBench(dataDir: string, rounds: number): void {
  const kv = (name: string) => parseKvLog(readFileSync(`${dataDir}/kv/${name}.txt`, 'utf8'));
  const etcd = readdirSync(`${dataDir}/jepsen`)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => parseJepsenEtcdLog(readFileSync(`${dataDir}/jepsen/${f}`, 'utf8')));
  const [c50ok, c50bad] = [kv('c50-ok'), kv('c50-bad')];
  // Issue 16's classes: 20 clients x 50 operations, pending and timed-out operations, every other one mutated.
  const regs = Array.from({ length: 20 }, (_, i) => generateRegisterHistory({ seed: 1600 + i, clients: 20, opsPerClient: 50, mutate: i % 2 === 1 }));
  const kv1 = Array.from({ length: 20 }, (_, i) => generateKvHistory({ seed: 1700 + i, clients: 20, opsPerClient: 50, keys: 1, mutate: i % 2 === 1 }));
  const kv8 = Array.from({ length: 20 }, (_, i) => generateKvHistory({ seed: 1800 + i, clients: 50, opsPerClient: 80, keys: 8, mutate: i % 2 === 1 }));
  const order = partitionOrderHistory();
  const none = 'no recorded porcupine figure for this generated set (issue 16: register 1.4-1.7x, kv 1.0-1.3x porcupine before this change)';
  const cases: [string, () => string, string?][] = [
    ['kv c50-ok', () => checkOperations(kvModel, c50ok).verdict],
    ['kv c50-bad', () => checkOperations(kvModel, c50bad).verdict],
    ['etcd (all logs)', () => verdicts(etcd.map((h) => checkOperations(casRegisterModel, h).verdict))],
    ['partition order', () => checkOperations(kvModel, order, { timeoutMs: 5_000 }).verdict],
    ['register 20x50 x20', () => verdicts(regs.map((h) => checkOperations(casRegisterModel, h, { timeoutMs: 0 }).verdict)), none],
    ['kv 1 key 20x50 x20', () => verdicts(kv1.map((h) => checkOperations(kvModel, h, { timeoutMs: 0 }).verdict)), none],
    ['kv 8 keys 50x80 x20', () => verdicts(kv8.map((h) => checkOperations(kvModel, h, { timeoutMs: 0 }).verdict)), none],
  ];
  console.log(`\nlinearizability checker (seconds, best of rounds); porcupine's column is ${RECORDED}, not measured in this run`);
  console.log('history                  ours   porcupine  porcupine/ours  verdict');
  for (const [name, run, note] of cases) {
    let best = Infinity;
    let verdict = '';
    for (let r = 0; r <= Math.max(3, rounds); r++) {
      const t0 = performance.now();
      verdict = run();
      const s = (performance.now() - t0) / 1000;
      if (r > 0) best = Math.min(best, s); // round 0 warms up
    }
    const p = PORCUPINE_S[name];
    const cmp = p === undefined ? `${'-'.padStart(9)}   ${'-'.padStart(14)}` : `${p.toFixed(3).padStart(9)}   ${(p / best).toFixed(2).padStart(14)}`;
    console.log(`${name.padEnd(21)} ${best.toFixed(4).padStart(7)}  ${cmp}  ${verdict}${note ? `  [${note}]` : ''}`);
  }
}

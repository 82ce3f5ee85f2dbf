import { readFileSync, readdirSync } from 'node:fs';
import { checkOperations } from '../lin/checker.js';
import { kvModel } from '../lin/models/kv.js';
import { casRegisterModel } from '../lin/models/register.js';
import { parseJepsenEtcdLog, parseKvLog } from '../lin/porcupine-logs.js';

/** porcupine's own times on the team's 2-core machines (issue 5), the baseline printed beside ours. */
const PORCUPINE_S = { 'kv c50-ok': 0.19, 'kv c50-bad': 0.03, 'etcd (all logs)': 0.53 };

/** Times to check porcupine's bundled histories; best of rounds after one warm-up. */
export function checkerBench(dataDir: string, rounds: number): void {
  const kv = (name: string) => parseKvLog(readFileSync(`${dataDir}/kv/${name}.txt`, 'utf8'));
  const etcd = readdirSync(`${dataDir}/jepsen`)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => parseJepsenEtcdLog(readFileSync(`${dataDir}/jepsen/${f}`, 'utf8')));
  const cases: [keyof typeof PORCUPINE_S, () => string][] = [
    ['kv c50-ok', () => checkOperations(kvModel, kv('c50-ok')).verdict],
    ['kv c50-bad', () => checkOperations(kvModel, kv('c50-bad')).verdict],
    ['etcd (all logs)', () => `${etcd.filter((h) => checkOperations(casRegisterModel, h).verdict === 'ok').length} ok / ${etcd.length}`],
  ];
  console.log('\nlinearizability checker on porcupine\'s histories (seconds, best of rounds; porcupine (Go) for comparison)');
  console.log('history              ours    porcupine  porcupine/ours  verdict');
  for (const [name, run] of cases) {
    let best = Infinity;
    let verdict = '';
    for (let r = 0; r <= Math.max(5, rounds); r++) {
      const t0 = performance.now();
      verdict = run();
      const s = (performance.now() - t0) / 1000;
      if (r > 0) best = Math.min(best, s); // round 0 warms up
    }
    const p = PORCUPINE_S[name];
    console.log(`${name.padEnd(18)} ${best.toFixed(3).padStart(6)}   ${p.toFixed(2).padStart(8)}   ${(p / best).toFixed(2).padStart(12)}    ${verdict}`);
  }
}

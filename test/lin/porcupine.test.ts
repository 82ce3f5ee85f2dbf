import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkOperations } from '../../src/lin/checker.js';
import { kvModel } from '../../src/lin/models/kv.js';
import { casRegisterModel } from '../../src/lin/models/register.js';
import { parseJepsenEtcdLog, parseKvLog } from '../../src/lin/porcupine-logs.js';

const dir = (sub: string) => fileURLToPath(new URL(`../fixtures/porcupine/${sub}/`, import.meta.url));

/** The etcd logs porcupine's own test suite expects to be linearizable; all others are not (095 is absent upstream too). */
const ETCD_LINEARIZABLE = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);

describe('the checker on porcupine\'s bundled histories', () => {
  it.each(['c01', 'c10', 'c50'])('kv %s: ok file is linearizable, bad file is not', (c) => {
    const ok = checkOperations(kvModel, parseKvLog(readFileSync(`${dir('kv')}${c}-ok.txt`, 'utf8')));
    const bad = checkOperations(kvModel, parseKvLog(readFileSync(`${dir('kv')}${c}-bad.txt`, 'utf8')));
    expect(ok.verdict).toBe('ok');
    expect(bad.verdict).toBe('illegal');
    expect(bad.violation?.stuck).toBeDefined();
  });

  const logs = readdirSync(dir('jepsen')).filter((f) => /^etcd_\d+\.log$/.test(f)).sort();
  it('finds the etcd logs', () => {
    expect(logs.length).toBeGreaterThanOrEqual(102);
  });

  it('etcd_095 is empty upstream (its cluster never started): no operations, trivially ok', () => {
    const ops = parseJepsenEtcdLog(readFileSync(dir('jepsen') + 'etcd_095.log', 'utf8'));
    expect(ops).toHaveLength(0);
    expect(checkOperations(casRegisterModel, ops).verdict).toBe('ok');
  });

  it.each(logs.filter((f) => f !== 'etcd_095.log'))('%s gives porcupine\'s verdict', (f) => {
    const n = Number(/\d+/.exec(f)![0]);
    const r = checkOperations(casRegisterModel, parseJepsenEtcdLog(readFileSync(dir('jepsen') + f, 'utf8')));
    expect(r.verdict).toBe(ETCD_LINEARIZABLE.has(n) ? 'ok' : 'illegal');
  });
});

#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Phase } from '../lin/contention/phases.js';
import { ALL_PHASES } from '../lin/contention/all-phases.js';
import { runPhase, type KeyVariant, type PhaseRun } from '../lin/contention/run-phase.js';
import { renderHistoryHtml } from '../lin/html.js';
import { formatReport } from '../lin/report.js';
import { shrinkHistory } from '../lin/shrink.js';

const USAGE = `usage: npm run stress -- [--iterations N] [--clients N] [--phases LIST] [--variants global,local] [--jitter N] [--timeout MS] [--report DIR]

  --iterations  operations per client per phase (default 800, wolfHSM's count)
  --clients     concurrent clients (default 4: A = clients 0-1, B = the rest)
  --phases      e.g. 1-36 or 2,5,28 or all (default all: wolfHSM's 36, the policy phases 101-110, the crypto phases 111-116 and the SHE and CERT phases 117-119)
  --variants    key variants to run (default global,local)
  --jitter      delay each owner message by 0..N event-loop turns (default 1)
  --timeout     checker time budget per phase in ms (default 60000; 0 = no time limit, the memory budget still applies)
  --report      directory for HTML timelines of failing phases (default .tmp/stress)`;

interface Flags {
  iterations: number;
  clients: number;
  phases: Phase[];
  variants: KeyVariant[];
  jitter: number;
  timeoutMs: number;
  report: string;
}

const ALL = [...ALL_PHASES];

function parsePhases(spec: string): Phase[] {
  if (spec === 'all') return ALL;
  const ids = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad --phases part "${part}"`);
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) ids.add(i);
  }
  const out = ALL.filter((p) => ids.has(p.id));
  if (out.length === 0) throw new Error(`no phase matches "${spec}"`);
  return out;
}

function parse(argv: string[]): Flags {
  const f: Flags = { iterations: 800, clients: 4, phases: ALL, variants: ['global', 'local'], jitter: 1, timeoutMs: 60_000, report: '.tmp/stress' };
  for (let i = 0; i < argv.length; i++) {
    const [a, v] = [argv[i], argv[i + 1]];
    const num = () => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a} needs a non-negative integer`);
      i++;
      return n;
    };
    if (a === '--iterations') f.iterations = Math.max(1, num());
    else if (a === '--clients') f.clients = Math.max(2, num());
    else if (a === '--jitter') f.jitter = num();
    else if (a === '--timeout') f.timeoutMs = num();
    else if (a === '--phases' && v) (f.phases = parsePhases(v)), i++;
    else if (a === '--variants' && v) (f.variants = v.split(',') as KeyVariant[]), i++;
    else if (a === '--report' && v) (f.report = v), i++;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return f;
}

function progress(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label.padEnd(40).slice(0, 40)}`);
}

async function main(): Promise<number> {
  let f: Flags;
  try {
    f = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const jobs = f.phases.flatMap((p) => f.variants.map((v) => [p, v] as const));
  console.log(`actorhsm stress: ${jobs.length} phase runs, ${f.clients} clients, ${f.iterations} iterations each, owner jitter ${f.jitter}`);
  const runs: (PhaseRun & { wallMs: number })[] = [];
  for (const [i, [p, v]] of jobs.entries()) {
    progress(i, jobs.length, `${p.id} ${p.name} (${v})`);
    const t0 = performance.now();
    const r = await runPhase(p, v, { iterations: f.iterations, clients: f.clients, ownerJitter: f.jitter, timeoutMs: f.timeoutMs });
    runs.push({ ...r, wallMs: performance.now() - t0 });
    if (r.result.verdict !== 'ok') {
      mkdirSync(f.report, { recursive: true });
      const file = path.join(f.report, `phase-${p.id}-${v}.html`);
      // A violation is shown as its minimal failing history first (delta debugging over the recorded one).
      const shrunk = r.result.verdict === 'illegal' ? shrinkHistory(r.model, r.history, { totalMs: Math.min(f.timeoutMs || 60_000, 60_000) }) : undefined;
      writeFileSync(file, renderHistoryHtml(r.model, r.history, r.result, `${p.id} ${p.name} (${v})`, shrunk ? { shrunk } : {}));
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(formatReport(r.model, r.result, shrunk));
      console.log(`timeline: ${file}`);
    }
  }
  progress(jobs.length, jobs.length, 'done');
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log('\n  # phase                            variant  model        ops  overlaps  verdict   check ms   wall ms');
  for (const r of runs) {
    console.log(
      `${String(r.phase.id).padStart(3)} ${r.phase.name.padEnd(32)} ${r.variant.padEnd(7)}  ${r.model.name.padEnd(11)} ${String(r.ops).padStart(5)} ${String(r.overlaps).padStart(9)}  ${r.result.verdict.padEnd(8)} ${r.result.elapsedMs.toFixed(0).padStart(9)} ${r.wallMs.toFixed(0).padStart(9)}`,
    );
  }
  const bad = runs.filter((r) => r.result.verdict === 'illegal');
  const unknown = runs.filter((r) => r.result.verdict === 'unknown');
  const idle = runs.filter((r) => r.overlaps === 0);
  console.log(`\n${runs.length} runs: ${runs.length - bad.length - unknown.length} linearizable, ${bad.length} violations, ${unknown.length} undecided (time or memory budget), ${idle.length} that never raced`);
  return bad.length > 0 ? 1 : unknown.length > 0 || idle.length > 0 ? 3 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});

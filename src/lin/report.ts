import { describeOp, explainViolation } from './explain.js';
import type { Shrunk } from './shrink.js';
import type { CheckResult, Model, Operation } from './types.js';

function line<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  return `[client ${op.client}] ${describeOp(model, op)}  @${op.call}..${op.ret ?? 'pending'}`;
}

/**
 * A plain-text account of a check: the verdict; for a violation the minimal
 * failing history first (when shrunk), then the linearization points with the
 * state before and after each, the operation that cannot be placed and why.
 */
export function formatReport<S, I, O>(model: Model<S, I, O>, r: CheckResult<S, I, O>, shrunk?: Shrunk<S, I, O>): string {
  const head = `${model.name}: ${r.verdict} (${r.partitions} partition(s), ${r.steps} steps, ${r.states} states, ${r.elapsedMs.toFixed(1)} ms)`;
  if (r.verdict === 'unknown') {
    const why = r.exhausted === 'memory' ? 'memory budget exhausted' : r.exhausted === 'steps' ? 'step budget exhausted' : 'time budget exhausted';
    const decided = r.outcomes.filter((o) => o.verdict === 'ok').length;
    return `${head}\n  ${why}: linearizability NOT established (${decided} of ${r.partitions} partition(s) proven linearizable)`;
  }
  const e = explainViolation(model, r);
  if (!e) return head;
  const out = [head];
  if (shrunk && shrunk.ops.length < shrunk.originalSize) {
    out.push(`  minimal failing history: ${shrunk.ops.length} of ${shrunk.originalSize} operations${shrunk.minimum ? ' (no smaller subset fails the same way)' : ''}:`);
    out.push(...shrunk.ops.map((o) => `    ${line(model, o)}`));
    const m = explainViolation(model, shrunk.result);
    if (m) out.push(`    cannot place ${m.stuckLabel}: ${m.why}`);
    out.push('  in the full history:');
  }
  out.push(`  partition ${e.partition}: the longest linearizable prefix has ${e.steps.length} operation(s):`);
  if (e.steps.length > 10) out.push(`    ... ${e.steps.length - 10} earlier`);
  out.push(...e.steps.slice(-10).map((s) => `    ${line(model, s.op)}   ${s.before} -> ${s.after}`));
  out.push(`  model state after it: ${e.stateBefore}`);
  out.push(`  cannot place: ${line(model, e.stuck)}`);
  out.push(`  why: ${e.why}`);
  const concurrent = r.violation!.concurrent;
  out.push(`  concurrent with it (${concurrent.length}):`, ...concurrent.slice(0, 20).map((o) => `    ${line(model, o)}`));
  if (e.alternatives.length > 0) out.push(`  ${e.alternatives.length} other partial linearization(s) of the same length got stuck too`);
  return out.join('\n');
}

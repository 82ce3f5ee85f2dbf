import type { CheckResult, Model, Operation } from './types.js';

function describe<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  const what = model.describeOperation ? model.describeOperation(op.input, op.output) : `${JSON.stringify(op.input, bigintSafe)} -> ${JSON.stringify(op.output, bigintSafe)}`;
  return `[client ${op.client}] ${what}  @${op.call}..${op.ret ?? 'pending'}`;
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);

/** A plain-text account of a check: the verdict, and for a violation what to look at first. */
export function formatReport<S, I, O>(model: Model<S, I, O>, r: CheckResult<S, I, O>): string {
  const head = `${model.name}: ${r.verdict} (${r.partitions} partition(s), ${r.steps} steps, ${r.elapsedMs.toFixed(1)} ms)`;
  const v = r.violation;
  if (!v) return r.verdict === 'unknown' ? `${head}\n  time budget exhausted: linearizability NOT established` : head;
  const state = model.describeState ? model.describeState(v.stateBefore) : JSON.stringify(v.stateBefore, bigintSafe);
  return [
    head,
    `  partition ${v.partition}: the longest linearizable prefix has ${v.longestPrefix.length} operation(s):`,
    ...v.longestPrefix.slice(-10).map((o) => `    ${describe(model, o)}`),
    `  model state after it: ${state}`,
    `  cannot place: ${describe(model, v.stuck)}`,
    `  concurrent with it (${v.concurrent.length}):`,
    ...v.concurrent.slice(0, 20).map((o) => `    ${describe(model, o)}`),
  ].join('\n');
}

import type { CheckResult, Model, Operation } from './types.js';
import { ILLEGAL } from './types.js';

const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);

/** An operation in words, as the model describes it (or as JSON). */
export function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  const out = op.ret === null ? undefined : op.output;
  return model.describeOperation ? model.describeOperation(op.input, out) : `${JSON.stringify(op.input, bigintSafe)} -> ${op.ret === null ? 'pending' : JSON.stringify(out, bigintSafe)}`;
}

export function describeState<S, I, O>(model: Model<S, I, O>, s: S): string {
  return model.describeState ? model.describeState(s) : (JSON.stringify(s, bigintSafe) ?? String(s));
}

/** One linearization point: the operation and the model state before and after it. */
export interface LinearizationStep<I, O> {
  readonly op: Operation<I, O>;
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

/** A violation told step by step: what linearized, in which order, and why the next operation cannot. */
export interface Explanation<I, O> {
  readonly partition: number;
  readonly steps: readonly LinearizationStep<I, O>[];
  readonly stuck: Operation<I, O>;
  readonly stuckLabel: string;
  readonly stateBefore: string;
  /** The operation's output against what the model allows in that state. */
  readonly why: string;
  readonly alternatives: readonly { readonly labels: readonly string[]; readonly stuck: string }[];
}

/** Replays the longest linearizable prefix through the model to show every state; undefined unless illegal. */
export function explainViolation<S, I, O>(model: Model<S, I, O>, r: CheckResult<S, I, O>): Explanation<I, O> | undefined {
  const v = r.violation;
  if (!v) return undefined;
  const steps: LinearizationStep<I, O>[] = [];
  let s = model.init();
  for (const op of v.longestPrefix) {
    const next = model.step(s, op.input, op.ret === null ? undefined : op.output);
    if (next === ILLEGAL) break; // cannot happen: the search placed it
    steps.push({ op, label: describeOp(model, op), before: describeState(model, s), after: describeState(model, next) });
    s = next;
  }
  const out = v.stuck.ret === null ? undefined : v.stuck.output;
  const why = model.explainIllegal
    ? model.explainIllegal(v.stateBefore, v.stuck.input, out)
    : `the model rejects this output in state ${describeState(model, v.stateBefore)}, and the operation's return comes before any other placement`;
  return {
    partition: v.partition,
    steps,
    stuck: v.stuck,
    stuckLabel: describeOp(model, v.stuck),
    stateBefore: describeState(model, v.stateBefore),
    why,
    alternatives: v.alternatives.slice(1).map((a) => ({ labels: a.prefix.map((o) => describeOp(model, o)), stuck: describeOp(model, a.stuck) })),
  };
}

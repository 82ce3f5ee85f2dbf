import { describeOp, explainViolation, type Explanation } from './explain.js';
import type { Shrunk } from './shrink.js';
import type { Annotation, CheckResult, Model, Operation } from './types.js';

/** Bar classes, as small integers in the page data. */
export const Cls = { Plain: 0, Linearized: 1, Stuck: 2, Concurrent: 3, Pending: 4 } as const;

/** One partition's timeline: lanes in natural client order, operations as flat number arrays (no object per operation). */
export interface PartitionData {
  readonly index: number;
  readonly verdict: string;
  readonly lanes: string[];
  /** Six numbers per operation: lane, call, return (-1 pending), label index, class, linearization number (0 none). */
  readonly ops: number[];
}

export interface PageData {
  readonly title: string;
  readonly summary: string;
  readonly labels: string[];
  readonly partitions: PartitionData[];
  readonly failing: number;
  readonly explanation?: Omit<Explanation<unknown, unknown>, 'steps' | 'stuck'> & { steps: { label: string; client: string; before: string; after: string }[]; stuckClient: string; omitted: number };
  readonly minimal?: { ops: { client: string; label: string; call: number; ret: number | null; stuck: boolean }[]; of: number; minimum: boolean; why?: string };
  /** Five values per annotation: lane name ('' = events lane), start, end (-1 instant), label index, details index (-1 none). */
  readonly annotations: (string | number)[];
}

const natural = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** How many linearization steps the page lists (the last ones, next to the failure). */
const MAX_STEPS = 500;

/** Everything the page draws, computed with loops only (no spreads over operations, so a million operations work). */
export function pageData<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  result: CheckResult<S, I, O> | undefined,
  title: string,
  extra: { shrunk?: Shrunk<S, I, O> | undefined; annotations?: readonly Annotation[] | undefined } = {},
): PageData {
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const intern = (s: string) => {
    let i = labelIndex.get(s);
    if (i === undefined) labelIndex.set(s, (i = labels.push(s) - 1));
    return i;
  };
  const v = result?.violation;
  const parts: readonly (readonly Operation<I, O>[])[] = result ? result.outcomes.map((o) => o.ops) : model.partition ? model.partition(ops) : [ops];
  const linNumber = new Map<Operation<I, O>, number>();
  v?.longestPrefix.forEach((o, i) => linNumber.set(o, i + 1));
  const concurrent = new Set(v?.concurrent ?? []);
  const partitions: PartitionData[] = [];
  for (let p = 0; p < parts.length; p++) {
    const list = parts[p]!;
    const laneNames = new Set<string>();
    for (const o of list) laneNames.add(String(o.client));
    const lanes = Array.from(laneNames).sort(natural);
    const laneOf = new Map(lanes.map((l, i) => [l, i]));
    const sorted = list.slice().sort((a, b) => a.call - b.call);
    const flat: number[] = [];
    for (const o of sorted) {
      const failing = v !== undefined && p === v.partition;
      const cls = failing && o === v.stuck ? Cls.Stuck : failing && linNumber.has(o) ? Cls.Linearized : failing && concurrent.has(o) ? Cls.Concurrent : o.ret === null ? Cls.Pending : Cls.Plain;
      flat.push(laneOf.get(String(o.client))!, o.call, o.ret ?? -1, intern(describeOp(model, o)), cls, failing ? (linNumber.get(o) ?? 0) : 0);
    }
    partitions.push({ index: p, verdict: result?.outcomes[p]?.verdict ?? '', lanes, ops: flat });
  }
  const e = result ? explainViolation(model, result) : undefined;
  const annotations: (string | number)[] = [];
  for (const a of extra.annotations ?? []) annotations.push(a.client === undefined ? '' : String(a.client), a.start, a.end ?? -1, intern(a.label), a.details === undefined ? -1 : intern(a.details));
  const s = extra.shrunk;
  const shrunkWhy = s ? explainViolation(model, s.result) : undefined;
  const summary = result
    ? `${model.name}: ${result.verdict} (${result.partitions} partition(s), ${result.steps} steps, ${result.states} states, ${result.elapsedMs.toFixed(1)} ms)${result.exhausted ? `, ${result.exhausted} budget exhausted` : ''}`
    : model.name;
  return {
    title,
    summary,
    labels,
    partitions,
    failing: v?.partition ?? -1,
    ...(e
      ? {
          explanation: {
            partition: e.partition,
            steps: e.steps.slice(-MAX_STEPS).map((st) => ({ label: st.label, client: String(st.op.client), before: st.before, after: st.after })),
            omitted: Math.max(0, e.steps.length - MAX_STEPS),
            stuckLabel: e.stuckLabel,
            stuckClient: String(e.stuck.client),
            stateBefore: e.stateBefore,
            why: e.why,
            alternatives: e.alternatives,
          },
        }
      : {}),
    ...(s && s.ops.length < s.originalSize
      ? {
          minimal: {
            ops: s.ops.map((o) => ({ client: String(o.client), label: describeOp(model, o), call: o.call, ret: o.ret, stuck: o === s.result.violation?.stuck })),
            of: s.originalSize,
            minimum: s.minimum,
            ...(shrunkWhy ? { why: shrunkWhy.why } : {}),
          },
        }
      : {}),
    annotations,
  };
}

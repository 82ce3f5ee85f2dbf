import { Budget, defaultMemoryBytes } from './budget.js';
import { PartitionSearch } from './search.js';
import { ILLEGAL, type CheckResult, type Model, type Operation, type PartitionOutcome, type Violation } from './types.js';

export interface CheckOptions {
  /**
   * Give up after this many milliseconds and answer 'unknown' (never 'ok').
   * Default 10 s. 0 (or Infinity) means no time limit, as in porcupine; the
   * memory budget still applies, so a check always ends with an answer.
   */
  readonly timeoutMs?: number;
  /** Give up when the search has added this many bytes (default: half the V8 heap limit). */
  readonly memoryBytes?: number;
  /** Give up after this many search steps in total (a deterministic budget). Default: no limit. */
  readonly maxSteps?: number;
  /** Steps each unfinished partition gets in the first round (doubling every round). Default 1,024. */
  readonly firstSlice?: number;
  /** Clock in milliseconds, for tests of the deadline. Default `performance.now`. */
  readonly now?: () => number;
}

/**
 * Wing & Gong / Lowe linearizability search with P-compositionality and fair
 * partition scheduling. The model's `partition` splits the history into
 * independent sub-histories (e.g. by key), sorted smallest first; every
 * unfinished partition gets a slice of search steps per round (the i-th
 * smallest 1/(i+1) of the round's), and the slices double each round. So a
 * cheap violation anywhere is found within a few rounds however hard the other
 * partitions are (porcupine gets the same from one goroutine per partition);
 * 'ok' needs every partition done. Time and memory are one budget across all
 * partitions: exhausting either answers 'unknown' with the work done so far.
 */
/** How many operations are grouped between two looks at the budget. */
const GROUP_CHUNK = 4096;

/**
 * The partitions, smallest first; null when the budget ran out first. With a model's
 * `partitionKey` the grouping itself watches the budget (a history of 200,000 tiny
 * partitions takes longer to group than a 1 ms budget allows).
 */
function splitHistory<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], budget: Budget): Operation<I, O>[][] | null {
  let parts: Operation<I, O>[][];
  if (model.partitionKey) {
    const byKey = new Map<string | number, Operation<I, O>[]>();
    for (let i = 0; i < ops.length; i++) {
      if (i % GROUP_CHUNK === 0 && budget.spent()) return null;
      const o = ops[i]!;
      const k = model.partitionKey(o);
      const list = byKey.get(k);
      if (list) list.push(o);
      else byKey.set(k, [o]);
    }
    parts = [...byKey.values()];
  } else parts = model.partition ? model.partition(ops) : [ops.slice()];
  if (budget.spent()) return null;
  return parts.filter((p) => p.length > 0).sort((a, b) => a.length - b.length);
}

export function checkOperations<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], options: CheckOptions = {}): CheckResult<S, I, O> {
  const budget = new Budget({
    timeoutMs: options.timeoutMs ?? 10_000,
    memoryBytes: options.memoryBytes ?? defaultMemoryBytes(),
    maxSteps: options.maxSteps ?? Infinity,
    ...(options.now ? { now: options.now } : {}),
  });
  const grouped = splitHistory(model, ops, budget);
  if (!grouped) {
    // The budget ran out while splitting the history: not one partition was searched.
    return { verdict: 'unknown', partitions: 0, exhausted: budget.exhausted ?? 'time', steps: 0, states: 0, elapsedMs: budget.now() - budget.start, outcomes: [] };
  }
  const parts = grouped;
  const searches: (PartitionSearch<S, I, O> | undefined)[] = new Array<PartitionSearch<S, I, O> | undefined>(parts.length);
  const outcomes: PartitionOutcome<I, O>[] = new Array<PartitionOutcome<I, O>>(parts.length);
  let steps = 0;
  let states = 0;
  const result = (verdict: CheckResult<S, I, O>['verdict'], violation?: Violation<S, I, O>): CheckResult<S, I, O> => {
    for (let i = 0; i < parts.length; i++) {
      const s = searches[i];
      outcomes[i] ??= {
        ops: parts[i]!,
        verdict: s?.done ? 'ok' : 'unknown',
        steps: s?.steps ?? 0,
        partial: s?.deadEnds.map((d) => d.order) ?? [],
      };
    }
    return {
      verdict,
      partitions: parts.length,
      ...(violation ? { violation } : {}),
      ...(verdict === 'unknown' ? { exhausted: budget.exhausted ?? 'time' } : {}),
      steps,
      states,
      elapsedMs: budget.now() - budget.start,
      outcomes,
    };
  };

  let active = parts.map((_, i) => i);
  let slice = options.firstSlice ?? 1024;
  while (active.length > 0) {
    const unfinished: number[] = [];
    for (const i of active) {
      if (budget.spent()) return result('unknown');
      const search = (searches[i] ??= new PartitionSearch(model, parts[i]!));
      const before = { steps: search.steps, states: search.states };
      // The i-th smallest partition gets 1/(i+1) of the round's slice: every partition's share still
      // doubles each round (fair), but the small ones, where answers are cheap, go ahead.
      const end = search.run(Math.max(64, Math.floor(slice / (i + 1))), budget);
      steps += search.steps - before.steps;
      budget.steps = steps;
      states += search.states - before.states;
      if (end === 'illegal') {
        outcomes[i] = { ops: parts[i]!, verdict: 'illegal', steps: search.steps, partial: search.deadEnds.map((d) => d.order) };
        return result('illegal', violationOf(model, search, i));
      }
      if (end === 'spent') return result('unknown');
      if (end === 'paused') unfinished.push(i);
      else {
        outcomes[i] = { ops: parts[i]!, verdict: 'ok', steps: search.steps, linearization: search.linearization!, partial: [search.linearization!] };
        searches[i] = undefined; // its table is released; keep only the outcome
      }
    }
    active = unfinished;
    slice *= 2;
  }
  return result('ok');
}

function violationOf<S, I, O>(model: Model<S, I, O>, search: PartitionSearch<S, I, O>, partition: number): Violation<S, I, O> {
  const ops = search.ops;
  const first = search.deadEnds[0]!;
  const stuck = ops[first.stuck]!;
  const longestPrefix = first.order.map((k) => ops[k]!);
  let stateBefore = model.init();
  for (const o of longestPrefix) {
    const s = model.step(stateBefore, o.input, o.ret === null ? undefined : o.output);
    if (s === ILLEGAL) break; // cannot happen: the search placed it
    stateBefore = s;
  }
  const end = stuck.ret ?? Infinity;
  return {
    partition,
    longestPrefix,
    stuck,
    stateBefore,
    concurrent: ops.filter((o) => o !== stuck && o.call <= end && stuck.call <= (o.ret ?? Infinity)),
    alternatives: search.deadEnds.map((d) => ({ prefix: d.order.map((k) => ops[k]!), stuck: ops[d.stuck]! })),
  };
}

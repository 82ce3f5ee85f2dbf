import { checkOperations } from './checker.js';
import type { CheckResult, Model, Operation } from './types.js';

export interface ShrinkOptions {
  /** Time budget of each candidate's check (an undecided candidate is not kept). Default 1 s. */
  readonly checkTimeoutMs?: number;
  /** Stop shrinking after this long and return the smallest found so far. Default 20 s. */
  readonly totalMs?: number;
  /** After ddmin, try every smaller subset of the failing partition when there are at most this many. Default 20,000. */
  readonly exhaustiveLimit?: number;
}

export interface Shrunk<S, I, O> {
  /** A non-linearizable sub-history (operations in their original order). */
  readonly ops: readonly Operation<I, O>[];
  /** Its check result (verdict 'illegal'). */
  readonly result: CheckResult<S, I, O>;
  readonly originalSize: number;
  /** Candidate histories checked. */
  readonly checks: number;
  /** False when the total budget ran out before the result was 1-minimal. */
  readonly complete: boolean;
  /** True when every smaller subset of the failing partition was tried: no smaller history fails the same way. */
  readonly minimum: boolean;
}

class OutOfTime extends Error {}

/**
 * Delta debugging (Zeller's ddmin) over a non-linearizable history: first the
 * failing partition alone (P-compositionality keeps it illegal), then whole
 * clients, then single operations, keeping every candidate that is still
 * illegal with its stuck operation's output still caused (see `unexplained`). The result is 1-minimal:
 * removing any one operation makes it linearizable (or undecidable within the
 * per-check budget). Returns undefined
 * when the history is not illegal to begin with.
 */
export function shrinkHistory<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], options: ShrinkOptions = {}): Shrunk<S, I, O> | undefined {
  const t0 = performance.now();
  const totalMs = options.totalMs ?? 20_000;
  const checkTimeoutMs = options.checkTimeoutMs ?? 1_000;
  let checks = 0;
  let best: CheckResult<S, I, O> | undefined;
  let partition: readonly Operation<I, O>[] = ops;
  const explainMs = checkTimeoutMs;
  // Whether an output had a cause in the failing partition (memoised: one check per operation).
  const causedOriginally = new Map<Operation<I, O>, boolean>();
  const caused = (op: Operation<I, O>, within: readonly Operation<I, O>[], maxSteps?: number) => unexplained(model, within, new Set(), explainMs, op, maxSteps).length === 0;
  const illegal = (candidate: readonly Operation<I, O>[]): boolean => {
    if (performance.now() - t0 > totalMs) throw new OutOfTime();
    checks++;
    const r = checkOperations(model, candidate, { timeoutMs: checkTimeoutMs });
    if (r.verdict !== 'illegal') return false;
    // Keep the same bug: the stuck operation's output must still have a possible cause (not a read of a
    // value whose write was removed, not an increment to 2 without the one to 1), unless it had none to begin with.
    const stuck = r.violation!.stuck;
    if (candidate !== partition && !caused(stuck, candidate)) {
      let before = causedOriginally.get(stuck);
      if (before === undefined) causedOriginally.set(stuck, (before = caused(stuck, partition, Infinity)));
      if (before) return false;
    }
    best = r;
    return true;
  };

  if (!illegal(ops)) return undefined;
  const first = best!;
  let current: readonly Operation<I, O>[] = (partition = first.outcomes[first.violation!.partition]!.ops);
  let complete = true;
  let minimum = false;
  try {
    if (current.length < ops.length && !illegal(current)) current = partition = ops; // a model whose partitions are not independent
    const order = new Map(ops.map((o, i) => [o, i]));
    const inOrder = (list: readonly Operation<I, O>[]) => list.slice().sort((a, b) => order.get(a)! - order.get(b)!);
    const clients = [...new Set(current.map((o) => o.client))];
    const keptClients = new Set(ddmin(clients, (cs) => illegal(current.filter((o) => cs.includes(o.client)))));
    current = current.filter((o) => keptClients.has(o.client));
    current = inOrder(ddmin(current.slice(), (sub) => illegal(inOrder(sub))));
    // ddmin's answer is 1-minimal, not always the smallest: when affordable, try every smaller subset.
    if (subsetsBelow(partition.length, current.length) <= (options.exhaustiveLimit ?? 20_000)) {
      current = smallestBelow(partition, current, illegal) ?? current;
      minimum = true;
    }
  } catch (e) {
    if (!(e instanceof OutOfTime)) throw e;
    complete = false;
  }
  // `best` belongs to the last illegal candidate, which is `current` unless time ran out mid-way.
  const result = checkOperations(model, current, { timeoutMs: checkTimeoutMs });
  return { ops: current, result: result.verdict === 'illegal' ? result : best!, originalSize: ops.length, checks, complete, minimum };
}

/** How many subsets of n items have fewer than k items (capped at 2^31). */
function subsetsBelow(n: number, k: number): number {
  let total = 0;
  let c = 1; // C(n, j)
  for (let j = 1; j < k; j++) {
    c = (c * (n - j + 1)) / j;
    total += c;
    if (total > 2 ** 31) return 2 ** 31;
  }
  return total;
}

/** The first failing subset of `all` smaller than `known`, smallest sizes first (so it is a minimum). */
function smallestBelow<T>(all: readonly T[], known: readonly T[], fails: (subset: readonly T[]) => boolean): readonly T[] | undefined {
  const pick: number[] = [];
  const search = (size: number, from: number): readonly T[] | undefined => {
    if (pick.length === size) {
      const subset = pick.map((i) => all[i]!);
      return fails(subset) ? subset : undefined;
    }
    for (let i = from; i <= all.length - (size - pick.length); i++) {
      pick.push(i);
      const found = search(size, i + 1);
      pick.pop();
      if (found) return found;
    }
    return undefined;
  };
  for (let size = 1; size < known.length; size++) {
    const found = search(size, 0);
    if (found) return found;
  }
  return undefined;
}

/**
 * The operations (outside `exempt`) whose output is not proven to have a cause
 * in `ops`: no run of the operations, in real-time order, in which every other
 * operation may or may not take effect and only this one's output counts, was
 * found to produce the output. The search's first path is the operations in
 * call order, close to what really ran, so a cause is met early when there is
 * one; a step budget keeps the answer cheap when there is none (an unproven
 * cause counts as none). `only` restricts the question to one operation.
 */
export function unexplained<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], exempt: ReadonlySet<Operation<I, O>>, timeoutMs: number, only?: Operation<I, O>, maxSteps = 10_000 + 50 * ops.length): Operation<I, O>[] {
  const out: Operation<I, O>[] = [];
  const alone: Model<S, I, O> = { ...model, partition: undefined };
  for (const target of only ? [only] : ops) {
    if (target.ret === null || exempt.has(target)) continue;
    const relaxed = ops.map((o): Operation<I, O> => (o === target ? o : { client: o.client, input: o.input, call: o.call, ret: null }));
    if (checkOperations(alone, relaxed, { timeoutMs, maxSteps }).verdict !== 'ok') out.push(target);
  }
  return out;
}

/**
 * ddmin: the smallest subset (1-minimal) of `items` for which `fails` holds,
 * given that it holds for all of them. Tries chunks and their complements at
 * growing granularity.
 */
export function ddmin<T>(all: readonly T[], fails: (subset: T[]) => boolean): T[] {
  let items = all.slice();
  let n = 2;
  while (items.length >= 2) {
    const size = Math.ceil(items.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    let reduced = false;
    for (const c of chunks) {
      if (c.length < items.length && fails(c)) {
        items = c;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && chunks.length > 2) {
      for (let i = 0; i < chunks.length; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (fails(complement)) {
          items = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (n >= items.length) break;
      n = Math.min(items.length, 2 * n);
    }
  }
  return items;
}

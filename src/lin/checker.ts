import { ILLEGAL, type CheckResult, type Model, type Operation, type Violation } from './types.js';
import { VisitedTable } from './visited.js';

export interface CheckOptions {
  /** Give up after this long and report 'unknown' (never 'ok'). Default 10 s. */
  readonly timeoutMs?: number;
}

class Timeout extends Error {}

/**
 * Wing & Gong / Lowe linearizability search with P-compositionality: the history
 * is split into independent partitions (the model's `partition`, e.g. by object
 * id), smallest first; each is searched depth-first over a doubly linked list of
 * call/return entries, memoising visited (linearized set, state) configurations.
 */
export function checkOperations<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], options: CheckOptions = {}): CheckResult<S, I, O> {
  const t0 = performance.now();
  const deadline = t0 + (options.timeoutMs ?? 10_000);
  const parts = (model.partition ? model.partition(ops) : [ops.slice()]).filter((p) => p.length > 0).sort((a, b) => a.length - b.length);
  let steps = 0;
  let timedOut = false;
  for (let i = 0; i < parts.length; i++) {
    try {
      const r = checkPartition(model, parts[i]!, deadline);
      steps += r.steps;
      if (r.violation) {
        return { verdict: 'illegal', partitions: parts.length, violation: { ...r.violation, partition: i }, steps, elapsedMs: performance.now() - t0 };
      }
    } catch (e) {
      if (!(e instanceof Timeout)) throw e;
      timedOut = true;
      break;
    }
  }
  return { verdict: timedOut ? 'unknown' : 'ok', partitions: parts.length, steps, elapsedMs: performance.now() - t0 };
}

/** 32-bit xorshift, seeded: per-operation Zobrist keys for the linearized-set hash. */
function zobrist(n: number): Int32Array {
  const z = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  return z;
}

function checkPartition<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  deadline: number,
): { steps: number; violation?: Omit<Violation<S, I, O>, 'partition'> } {
  const n = ops.length;
  // Entries 0..2n-1: call of op k is 2k, return is 2k+1. Sorted by time, calls before returns at equal times.
  const order = Array.from({ length: 2 * n }, (_, i) => i);
  const time = (e: number) => {
    const op = ops[e >> 1]!;
    return e & 1 ? (op.ret ?? Infinity) : op.call;
  };
  order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1));
  const H = 2 * n; // head sentinel
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  let last = H;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  next[last] = -1;

  const pending = ops.map((o) => o.ret === null);
  const z = zobrist(n);
  const bits = new Uint32Array((n + 31) >>> 5);
  const visited = new VisitedTable<S>(bits.length, (a, b) => model.equal(a, b), 256);
  const stackCall: number[] = [];
  const stackState: S[] = [];
  let remaining = pending.filter((p) => !p).length;
  let state = model.init();
  let bitsHash = 0;
  let steps = 0;
  let best: Omit<Violation<S, I, O>, 'partition'> | undefined;
  let bestDepth = -1;

  const lift = (c: number) => {
    const r = c + 1;
    next[prev[c]!] = next[c]!;
    if (next[c]! >= 0) prev[next[c]!] = prev[c]!;
    next[prev[r]!] = next[r]!;
    if (next[r]! >= 0) prev[next[r]!] = prev[r]!;
  };
  const unlift = (c: number) => {
    const r = c + 1;
    if (next[r]! >= 0) prev[next[r]!] = r;
    next[prev[r]!] = r;
    if (next[c]! >= 0) prev[next[c]!] = c;
    next[prev[c]!] = c;
  };

  let e = next[H]!;
  while (remaining > 0) {
    if ((++steps & 1023) === 0 && performance.now() > deadline) throw new Timeout();
    if (e >= 0 && (e & 1) === 0) {
      const k = e >> 1;
      const op = ops[k]!;
      const s2 = model.step(state, op.input, pending[k] ? undefined : op.output);
      if (s2 !== ILLEGAL) {
        bits[k >>> 5]! ^= 1 << (k & 31);
        bitsHash ^= z[k]!;
        if (visited.add((bitsHash ^ Math.imul(model.hash(s2), 0x9e3779b1)) | 0, bits, s2)) {
          stackCall.push(e);
          stackState.push(state);
          state = s2;
          lift(e);
          if (!pending[k]) remaining--;
          e = next[H]!;
          continue;
        }
        bits[k >>> 5]! ^= 1 << (k & 31);
        bitsHash ^= z[k]!;
      }
      e = next[e]!;
      continue;
    }
    // A return entry (or the end): the op it closes cannot be placed here. Backtrack.
    if (stackCall.length > bestDepth && e >= 0) {
      bestDepth = stackCall.length;
      const stuck = ops[e >> 1]!;
      best = {
        longestPrefix: stackCall.map((c) => ops[c >> 1]!),
        stuck,
        stateBefore: state,
        concurrent: ops.filter((o) => o !== stuck && o.call <= (stuck.ret ?? Infinity) && stuck.call <= (o.ret ?? Infinity)),
      };
    }
    if (stackCall.length === 0) return { steps, violation: best! };
    const c = stackCall.pop()!;
    state = stackState.pop()!;
    unlift(c);
    const k = c >> 1;
    bits[k >>> 5]! ^= 1 << (k & 31);
    bitsHash ^= z[k]!;
    if (!pending[k]) remaining++;
    e = next[c]!;
  }
  return { steps };
}

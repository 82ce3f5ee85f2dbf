import type { Budget } from './budget.js';
import { ILLEGAL, type Model, type Operation } from './types.js';
import { TableFull, VisitedTable } from './visited.js';

/** How a slice of search ended. */
export type SliceEnd = 'ok' | 'illegal' | 'paused' | 'spent';

/** A dead end of the search: a partial linearization and the operation that could not follow it. */
export interface DeadEnd {
  /** Indices into the partition's operations, in linearization order. */
  readonly order: readonly number[];
  /** Index of the operation whose return came before it could be placed. */
  readonly stuck: number;
}

/** Budget and clock are consulted every this many steps. */
const CHECK_EVERY = 256;

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

/**
 * Wing & Gong / Lowe search over one partition, resumable: `run(n)` takes at
 * most about n more steps and returns 'paused' when it has not finished, so a
 * scheduler can interleave partitions. Depth-first over a doubly linked list of
 * call/return entries, memoising visited (linearized set, state) configurations.
 */
export class PartitionSearch<S, I, O> {
  steps = 0;
  private readonly n: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly pending: Uint8Array;
  private readonly z: Int32Array;
  private readonly bits: Uint32Array;
  private visited: VisitedTable<S> | undefined;
  private readonly stackCall: number[] = [];
  private readonly stackState: S[] = [];
  /** Per operation: read-only (the model's `readOnly`), so placing it as soon as it is legal is never worse. */
  private readonly readOnly: Uint8Array;
  /** Per stack depth: the frame was such a forced placement (no alternatives to try at that depth). */
  private readonly forced: Uint8Array;
  private remaining = 0;
  private state: S;
  private bitsHash = 0;
  private e: number;
  private finished: 'ok' | 'illegal' | undefined;
  /** The longest dead ends (all of the greatest depth reached), first one first. */
  readonly deadEnds: DeadEnd[] = [];
  private bestDepth = -1;
  /** The complete linearization, once the partition is proven ok. */
  linearization: readonly number[] | undefined;

  constructor(
    private readonly model: Model<S, I, O>,
    readonly ops: readonly Operation<I, O>[],
    private readonly maxDeadEnds = 8,
  ) {
    const n = (this.n = ops.length);
    // Entries 0..2n-1: call of op k is 2k, return is 2k+1. Sorted by time, calls before returns at equal times.
    const order = Array.from({ length: 2 * n }, (_, i) => i);
    const time = (e: number) => {
      const op = ops[e >> 1]!;
      return e & 1 ? (op.ret ?? Infinity) : op.call;
    };
    order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1));
    const H = 2 * n; // head sentinel
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    let last = H;
    for (const e of order) {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    }
    this.next[last] = -1;
    this.pending = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      if (ops[k]!.ret === null) this.pending[k] = 1;
      else this.remaining++;
    }
    this.readOnly = new Uint8Array(n);
    if (model.readOnly) for (let k = 0; k < n; k++) if (model.readOnly(ops[k]!.input, this.pending[k] ? undefined : ops[k]!.output)) this.readOnly[k] = 1;
    this.forced = new Uint8Array(n + 1);
    this.z = zobrist(n);
    this.bits = new Uint32Array((n + 31) >>> 5);
    this.state = model.init();
    this.e = this.next[H]!;
  }

  /** Configurations memoised so far. */
  get states(): number {
    return this.visited?.size ?? 0;
  }

  /** Typed-array bytes held (released when the search finishes). */
  get bytes(): number {
    return this.visited?.bytes ?? 0;
  }

  get done(): boolean {
    return this.finished !== undefined;
  }

  /** Searches for about `maxSteps` more steps; 'spent' when the budget ran out (or the table is full). */
  run(maxSteps: number, budget: Budget): SliceEnd {
    if (this.finished) return this.finished;
    const stop = this.steps + maxSteps;
    const start = this.steps;
    const tableBefore = this.bytes;
    try {
      return this.loop(stop, start, budget);
    } catch (err) {
      if (!(err instanceof TableFull)) throw err;
      budget.exhausted = 'memory';
      return 'spent';
    } finally {
      budget.tableBytes += this.bytes - tableBefore;
      if (this.finished) {
        budget.tableBytes -= this.bytes;
        this.visited = undefined;
      }
    }
  }

  private loop(stop: number, start: number, budget: Budget): SliceEnd {
    const { model, ops, next, prev, pending, z, bits, stackCall, stackState, readOnly, forced } = this;
    const H = 2 * this.n;
    const visited = (this.visited ??= new VisitedTable<S>(this.bits.length, (a, b) => model.equal(a, b), Math.min(1024, 1 << Math.ceil(Math.log2(4 * this.n + 4)))));
    let { state, bitsHash, e, remaining, steps } = this;
    const save = () => {
      this.state = state;
      this.bitsHash = bitsHash;
      this.e = e;
      this.remaining = remaining;
      this.steps = steps;
    };
    while (remaining > 0) {
      if ((++steps & (CHECK_EVERY - 1)) === 0) {
        if (budget.spent(steps - start)) return save(), 'spent';
        if (steps >= stop) return save(), 'paused';
      }
      if (e >= 0 && (e & 1) === 0) {
        const k = e >> 1;
        const op = ops[k]!;
        const s2 = model.step(state, op.input, pending[k] ? undefined : op.output);
        if (s2 !== ILLEGAL) {
          bits[k >>> 5]! ^= 1 << (k & 31);
          bitsHash ^= z[k]!;
          const fresh = visited.add((bitsHash ^ Math.imul(model.hash(s2), 0x9e3779b1)) | 0, bits, s2);
          if (fresh) {
            // A legal read-only operation goes first in some linearization if any exists (moving it earlier
            // changes no state and only drops its own return barrier): place it, try nothing else here.
            forced[stackCall.length] = readOnly[k]!;
            stackCall.push(e);
            stackState.push(state);
            state = s2;
            // Lift the call and its return out of the list.
            const r = e + 1;
            next[prev[e]!] = next[e]!;
            if (next[e]! >= 0) prev[next[e]!] = prev[e]!;
            next[prev[r]!] = next[r]!;
            if (next[r]! >= 0) prev[next[r]!] = prev[r]!;
            if (!pending[k]) remaining--;
            e = next[H]!;
            continue;
          }
          bits[k >>> 5]! ^= 1 << (k & 31);
          bitsHash ^= z[k]!;
          if (readOnly[k]) {
            e = -2; // the configuration after it was explored already, and so, by the same argument, this one
            continue;
          }
        }
        e = next[e]!;
        continue;
      }
      // A return entry, the end (-1) or a forced dead end (-2): nothing more to try here. Backtrack.
      if (e >= 0 && stackCall.length >= this.bestDepth) this.noteDeadEnd(e >> 1);
      if (stackCall.length === 0) {
        save();
        this.finished = 'illegal';
        return 'illegal';
      }
      const c = stackCall.pop()!;
      state = stackState.pop()!;
      // Put the call and its return back.
      const r = c + 1;
      if (next[r]! >= 0) prev[next[r]!] = r;
      next[prev[r]!] = r;
      if (next[c]! >= 0) prev[next[c]!] = c;
      next[prev[c]!] = c;
      const k = c >> 1;
      bits[k >>> 5]! ^= 1 << (k & 31);
      bitsHash ^= z[k]!;
      if (!pending[k]) remaining++;
      e = forced[stackCall.length] ? -2 : next[c]!;
    }
    save();
    this.linearization = stackCall.map((c) => c >> 1);
    this.finished = 'ok';
    return 'ok';
  }

  private noteDeadEnd(stuck: number): void {
    const depth = this.stackCall.length;
    if (depth > this.bestDepth) {
      this.bestDepth = depth;
      this.deadEnds.length = 0;
    } else if (this.deadEnds.length >= this.maxDeadEnds) return;
    this.deadEnds.push({ order: this.stackCall.map((c) => c >> 1), stuck });
  }
}

/**
 * Linearizability checking: histories of operations recorded at the client
 * boundary, and sequential models they are checked against.
 */

/** One completed or pending operation of a history. */
export interface Operation<I, O> {
  /** Who issued it (a client, a process). */
  readonly client: number | string;
  readonly input: I;
  /** Logical or real time of the call and of the return; `ret` null = still pending (output unknown). */
  readonly call: number;
  readonly ret: number | null;
  /** The returned output; absent while pending. */
  readonly output?: O;
}

/** Returned by a model's step when the output is impossible in that state. */
export const ILLEGAL: unique symbol = Symbol('illegal');
export type Illegal = typeof ILLEGAL;

/**
 * A sequential specification. `step` gets `output` undefined for a pending
 * operation (it may have happened with any output) and must then accept.
 */
export interface Model<S, I, O> {
  readonly name: string;
  init(): S;
  step(state: S, input: I, output: O | undefined): S | Illegal;
  /** Hash and equality of states, for the visited-configuration table. */
  hash(state: S): number;
  equal(a: S, b: S): boolean;
  /** P-compositionality: split a history into independent sub-histories (by object id). */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
}

export type Verdict = 'ok' | 'illegal' | 'unknown';

/** What a person needs to act on a violation. */
export interface Violation<S, I, O> {
  /** Index of the failing partition (partitions are checked smallest first). */
  readonly partition: number;
  /** The longest prefix of the partition that does linearize, in linearization order. */
  readonly longestPrefix: readonly Operation<I, O>[];
  /** The operation that could not be placed after that prefix. */
  readonly stuck: Operation<I, O>;
  /** The model state after the prefix, just before `stuck`. */
  readonly stateBefore: S;
  /** Operations whose intervals overlap `stuck`'s. */
  readonly concurrent: readonly Operation<I, O>[];
}

export interface CheckResult<S, I, O> {
  readonly verdict: Verdict;
  readonly partitions: number;
  /** Set when the verdict is 'illegal'. */
  readonly violation?: Violation<S, I, O>;
  /** Search steps taken (model step calls), for benchmarks. */
  readonly steps: number;
  readonly elapsedMs: number;
}

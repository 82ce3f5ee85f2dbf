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
  /**
   * The same split as a key per operation: the checker then groups the history itself,
   * watching its budget as it goes, so even the grouping of a huge history stops at the
   * deadline. Preferred over `partition` when both are given.
   */
  partitionKey?(op: Operation<I, O>): string | number;
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
  /**
   * True when the operation never changes the state whenever it is legal (a read, a CAS known to have
   * failed). The search then places it as soon as it is legal and tries nothing else at that point:
   * sound, and far fewer configurations on read-heavy histories. Optional; say false when unsure.
   */
  readOnly?(input: I, output: O | undefined): boolean;
  /** Why `step` rejects this output in this state, e.g. "read returned 5, the register holds 200". */
  explainIllegal?(state: S, input: I, output: O | undefined): string;
}

/** A non-operation event drawn on the failure page (client disconnect, lease revoked, compaction). */
export interface Annotation {
  /** The client lane to draw it on; absent = a separate "events" lane. */
  readonly client?: number | string;
  readonly start: number;
  /** Absent = an instant. */
  readonly end?: number;
  readonly label: string;
  readonly details?: string;
}

export type Verdict = 'ok' | 'illegal' | 'unknown';

/** A partial linearization that could go no further, and the operation it could not place next. */
export interface Alternative<I, O> {
  readonly prefix: readonly Operation<I, O>[];
  readonly stuck: Operation<I, O>;
}

/** What the search established about one partition (porcupine's partial linearizations, as data). */
export interface PartitionOutcome<I, O> {
  /** The partition's operations; the indices below point into this array. */
  readonly ops: readonly Operation<I, O>[];
  /** 'unknown' when the budget ran out before this partition was decided (or reached). */
  readonly verdict: Verdict;
  readonly steps: number;
  /** Set when 'ok': a complete linearization (indices into `ops`). */
  readonly linearization?: readonly number[];
  /** The longest partial linearizations found (indices into `ops`); for 'ok' the complete one. */
  readonly partial: readonly (readonly number[])[];
}

/** What a person needs to act on a violation. */
export interface Violation<S, I, O> {
  /** Index of the failing partition (partitions are numbered smallest first), into `CheckResult.outcomes`. */
  readonly partition: number;
  /** The longest prefix of the partition that does linearize, in linearization order. */
  readonly longestPrefix: readonly Operation<I, O>[];
  /** The operation that could not be placed after that prefix. */
  readonly stuck: Operation<I, O>;
  /** The model state after the prefix, just before `stuck`. */
  readonly stateBefore: S;
  /** Operations whose intervals overlap `stuck`'s. */
  readonly concurrent: readonly Operation<I, O>[];
  /** Other partial linearizations of the same greatest length that got stuck (the first is the one above). */
  readonly alternatives: readonly Alternative<I, O>[];
}

export interface CheckResult<S, I, O> {
  readonly verdict: Verdict;
  readonly partitions: number;
  /** Set when the verdict is 'illegal'. */
  readonly violation?: Violation<S, I, O>;
  /** Set when 'unknown': which budget ran out. */
  readonly exhausted?: 'time' | 'memory' | 'steps';
  /** Search steps taken (model step calls) over every partition, also when 'unknown'. */
  readonly steps: number;
  /** (linearized set, state) configurations memoised over every partition. */
  readonly states: number;
  readonly elapsedMs: number;
  /** One per partition, in `partition` numbering. */
  readonly outcomes: readonly PartitionOutcome<I, O>[];
}

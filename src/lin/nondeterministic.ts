import { ILLEGAL, type Model, type Operation } from './types.js';

/**
 * A model whose step may lead to several states (porcupine's
 * NondeterministicModel): e.g. a queue that may drop, a store whose free-space
 * answer is a range. `step` returns every possible next state; none = illegal.
 */
export interface NondeterministicModel<S, I, O> {
  readonly name: string;
  /** The possible initial states. */
  init(): readonly S[];
  step(state: S, input: I, output: O | undefined): readonly S[];
  hash(state: S): number;
  equal(a: S, b: S): boolean;
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
}

/** Keeps one of each equal state. Sets stay small in practice, so a quadratic scan beats hashing. */
function distinct<S>(states: readonly S[], equal: (a: S, b: S) => boolean): S[] {
  const out: S[] = [];
  for (const s of states) if (!out.some((t) => equal(s, t))) out.push(s);
  return out;
}

/**
 * The deterministic model over sets of states (the power-set construction
 * porcupine uses): a configuration's state is every state the
 * nondeterministic model could be in; a step maps each, and is illegal only
 * when no state allows the output. The checker then runs unchanged.
 */
export function determinize<S, I, O>(m: NondeterministicModel<S, I, O>): Model<readonly S[], I, O> {
  return {
    name: m.name,
    init: () => distinct(m.init(), m.equal),
    step(states, input, output) {
      const next: S[] = [];
      for (const s of states) for (const t of m.step(s, input, output)) if (!next.some((u) => m.equal(t, u))) next.push(t);
      return next.length === 0 ? ILLEGAL : next;
    },
    // Order-independent: a sum of mixed member hashes.
    hash: (states) => {
      let h = 0;
      for (const s of states) h = (h + Math.imul(m.hash(s) ^ 0x5bd1e995, 0x27d4eb2d)) | 0;
      return h;
    },
    equal: (a, b) => a.length === b.length && a.every((s) => b.some((t) => m.equal(s, t))),
    ...(m.partition ? { partition: m.partition.bind(m) } : {}),
    ...(m.describeOperation ? { describeOperation: m.describeOperation.bind(m) } : {}),
    describeState: (states) => (states.length === 1 ? (m.describeState?.(states[0]!) ?? JSON.stringify(states[0])) : `one of {${states.map((s) => m.describeState?.(s) ?? JSON.stringify(s)).join(', ')}}`),
  };
}

import type { KvInput, KvOutput } from './models/kv.js';
import type { RegisterInput, RegisterOutput } from './models/register.js';
import type { Operation } from './types.js';

/** mulberry32: a small seeded PRNG, so generated histories are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  readonly seed: number;
  readonly clients: number;
  readonly opsPerClient: number;
  /** Probability that an operation never returns (it takes effect or not, at random). Default 0.005. */
  readonly pending?: number;
  /** Probability that a read times out (returns, output unknown). Default 0.02. */
  readonly timedOut?: number;
  /** Longest pause between a client's operations, and longest operation, in ticks. Defaults 30 and 6 (about 4 operations in flight with 20 clients). */
  readonly maxGap?: number;
  readonly maxDuration?: number;
  /** Make one read return a stale value (often, not always, non-linearizable). Default false. */
  readonly mutate?: boolean;
}

interface Planned<I> {
  client: number;
  input: I;
  call: number;
  ret: number | null;
  at: number;
  happens: boolean;
  timedOut: boolean;
}

/**
 * Plans operations like a real system would run them: each client issues one
 * operation at a time, each takes effect at a random point inside its interval
 * (pending ones may never take effect). A client whose call never returns is
 * replaced by a fresh client id (as Jepsen does with a crashed process).
 */
function plan<I>(o: GenerateOptions, rnd: () => number, input: () => I): Planned<I>[] {
  const out: Planned<I>[] = [];
  for (let c = 0; c < o.clients; c++) {
    let t = Math.floor(rnd() * 5);
    let id = c;
    for (let k = 0; k < o.opsPerClient; k++) {
      const call = t + 1 + Math.floor(rnd() * (o.maxGap ?? 30));
      const dur = 1 + Math.floor(rnd() * (o.maxDuration ?? 6));
      const isPending = rnd() < (o.pending ?? 0.005);
      out.push({ client: id, input: input(), call, ret: isPending ? null : call + dur, at: call + rnd() * dur, happens: !isPending || rnd() < 0.5, timedOut: rnd() < (o.timedOut ?? 0.02) });
      if (isPending) id += o.clients;
      t = call + dur;
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** A compare-and-set register history (reads, writes, CAS), linearizable unless mutated. */
export function generateRegisterHistory(o: GenerateOptions): Operation<RegisterInput, RegisterOutput>[] {
  const rnd = seededRandom(o.seed);
  let next = 0;
  const pick = (): RegisterInput => {
    const r = rnd();
    return r < 0.5 ? { op: 'read' } : r < 0.8 ? { op: 'write', value: next++ } : { op: 'cas', from: Math.floor(rnd() * Math.max(1, next)), to: next++ };
  };
  let value: number | null = null;
  const ops: Operation<RegisterInput, RegisterOutput>[] = [];
  const written: number[] = [];
  for (const p of plan(o, rnd, pick)) {
    let output: RegisterOutput = {};
    if (p.happens) {
      if (p.input.op === 'read') output = p.timedOut ? { unknown: true } : { value };
      else if (p.input.op === 'write') value = p.input.value;
      else {
        const ok = value === p.input.from;
        if (ok) value = p.input.to;
        output = { ok };
      }
      if (value !== null) written.push(value);
    }
    ops.push(p.ret === null ? { client: p.client, input: p.input, call: p.call, ret: null } : { client: p.client, input: p.input, call: p.call, ret: p.ret, output });
  }
  if (o.mutate) {
    const reads = ops.map((op, i) => [op, i] as const).filter(([op]) => op.input.op === 'read' && op.output?.value !== undefined && !op.output.unknown);
    const target = reads[Math.floor(rnd() * reads.length)];
    if (target && written.length > 0) {
      const [op, i] = target;
      ops[i] = { ...op, output: { value: written[Math.floor(rnd() * written.length)]! } };
    }
  }
  return ops.sort((a, b) => a.call - b.call);
}

/** A get/put/append key-value history over `keys` keys, linearizable unless mutated. */
export function generateKvHistory(o: GenerateOptions & { readonly keys: number }): Operation<KvInput, KvOutput>[] {
  const rnd = seededRandom(o.seed);
  let next = 0;
  const pick = (): KvInput => {
    const key = `k${Math.floor(rnd() * o.keys)}`;
    const r = rnd();
    return r < 0.5 ? { op: 'get', key } : r < 0.7 ? { op: 'put', key, value: `${next++}.` } : { op: 'append', key, value: `${next++}.` };
  };
  const store = new Map<string, string>();
  const ops: Operation<KvInput, KvOutput>[] = [];
  for (const p of plan(o, rnd, pick)) {
    let output: KvOutput = {};
    const cur = store.get(p.input.key) ?? '';
    if (p.happens) {
      if (p.input.op === 'get') output = { value: cur };
      else store.set(p.input.key, p.input.op === 'put' ? p.input.value! : cur + p.input.value!);
    }
    ops.push(p.ret === null ? { client: p.client, input: p.input, call: p.call, ret: null } : { client: p.client, input: p.input, call: p.call, ret: p.ret, output });
  }
  if (o.mutate) {
    const gets = ops.map((op, i) => [op, i] as const).filter(([op]) => op.input.op === 'get' && op.ret !== null && (op.output?.value ?? '').length > 0);
    const target = gets[Math.floor(rnd() * gets.length)];
    if (target) {
      const [op, i] = target;
      const v = op.output!.value!;
      // Drop the last appended piece: a stale read of the same key.
      ops[i] = { ...op, output: { value: v.slice(0, v.lastIndexOf('.', v.length - 2) + 1) } };
    }
  }
  return ops.sort((a, b) => a.call - b.call);
}

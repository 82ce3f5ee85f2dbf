import { Subject, type Observable } from 'rxjs';
import type { Operation } from './types.js';

/** What a recorder streams: every call and return, stamped by one logical clock. */
export type HistoryEvent<I, O> =
  | { readonly kind: 'call'; readonly id: number; readonly client: number | string; readonly input: I; readonly time: number }
  | { readonly kind: 'return'; readonly id: number; readonly output: O; readonly time: number };

/**
 * Records a history at the client boundary. Any client or transport feeds it
 * through {@link HistoryRecorder.record}; the events go out on `events$` (rxjs)
 * and are folded into operations. The clock is logical: JS runs one thing at a
 * time, so stamping the call just before the request leaves and the return just
 * after the answer arrives gives exactly the real-time order.
 *
 * An operation whose promise rejects (the client died, the connection dropped)
 * stays pending: it may have happened, with an unknown output.
 */
export class HistoryRecorder<I, O> {
  private readonly subject = new Subject<HistoryEvent<I, O>>();
  readonly events$: Observable<HistoryEvent<I, O>> = this.subject.asObservable();
  private readonly ops = new Map<number, { client: number | string; input: I; call: number; ret: number | null; output?: O }>();
  private clock = 0;
  private nextId = 0;

  async record<T extends O>(client: number | string, input: I, run: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    const call = ++this.clock;
    this.ops.set(id, { client, input, call, ret: null });
    this.subject.next({ kind: 'call', id, client, input, time: call });
    const output = await run();
    const ret = ++this.clock;
    const op = this.ops.get(id)!;
    op.ret = ret;
    op.output = output;
    this.subject.next({ kind: 'return', id, output, time: ret });
    return output;
  }

  /** The history so far, in call order; unanswered operations are pending (ret null). */
  history(): Operation<I, O>[] {
    return [...this.ops.values()].map((o) => (o.ret === null ? { client: o.client, input: o.input, call: o.call, ret: null } : { ...o, output: o.output as O }));
  }

  complete(): void {
    this.subject.complete();
  }
}

/** Pairs of operations from different clients whose intervals overlap: how much a run actually raced. */
export function countOverlaps<I, O>(ops: readonly Operation<I, O>[], relevant: (op: Operation<I, O>) => boolean = () => true): number {
  const xs = ops.filter(relevant).sort((a, b) => a.call - b.call);
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    const end = xs[i]!.ret ?? Infinity;
    for (let j = i + 1; j < xs.length && xs[j]!.call < end; j++) if (xs[j]!.client !== xs[i]!.client) n++;
  }
  return n;
}

import { getHeapStatistics } from 'node:v8';

/** Why a check stopped without a verdict. */
export type Exhausted = 'time' | 'memory' | 'steps';

export interface BudgetOptions {
  /** Milliseconds; 0 or Infinity = no time limit (porcupine's meaning of 0). */
  readonly timeoutMs: number;
  /** Bytes of memory the search may add (JS heap growth plus its typed-array tables). */
  readonly memoryBytes: number;
  /** Search steps over all partitions (Infinity: no limit). */
  readonly maxSteps: number;
  /** Clock in milliseconds (tests inject a fake one). */
  readonly now?: () => number;
}

/**
 * Half the V8 heap limit: the search's states live on the JS heap, so staying
 * under half of it leaves room for the caller and for garbage not yet collected.
 */
export function defaultMemoryBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / 2);
}

/**
 * The time and memory a check may use, shared by every partition's search so
 * the deadline holds across partitions. Reading the clock costs ~60 ns and the
 * heap statistics ~0.5 µs, so callers check every few hundred steps.
 */
export class Budget {
  readonly start: number;
  private readonly deadline: number;
  private readonly heapBase: number;
  /** Bytes held in typed arrays by live searches (outside the JS heap). */
  tableBytes = 0;
  exhausted: Exhausted | undefined;
  /** Steps of finished slices, kept by the scheduler (a running slice adds its own). */
  steps = 0;
  private calls = 0;

  constructor(private readonly o: BudgetOptions) {
    this.start = this.now();
    this.deadline = o.timeoutMs > 0 ? this.start + o.timeoutMs : Infinity;
    this.heapBase = getHeapStatistics().used_heap_size;
  }

  now(): number {
    return this.o.now ? this.o.now() : performance.now();
  }

  /** The bytes the check has added so far: heap growth (states, stacks) plus tables. */
  usedBytes(): number {
    return Math.max(0, getHeapStatistics().used_heap_size - this.heapBase) + this.tableBytes;
  }

  /** True once time or memory ran out (sticky). The clock is read every call, the heap every 16th. */
  spent(sliceSteps = 0): boolean {
    if (this.exhausted) return true;
    if (this.steps + sliceSteps > this.o.maxSteps) this.exhausted = 'steps';
    else if (this.now() > this.deadline) this.exhausted = 'time';
    else if ((++this.calls & 15) === 0 && this.usedBytes() > this.o.memoryBytes) this.exhausted = 'memory';
    return this.exhausted !== undefined;
  }
}

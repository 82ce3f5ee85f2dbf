/** Something that can be told about a value (a function, or an object with `next`). */
export type FeedObserver<T> = ((value: T) => void) | { next(value: T): void };

export interface FeedSubscription {
  unsubscribe(): void;
}

/**
 * A synchronous broadcast that a failing subscriber cannot break: each delivery
 * is guarded, a throw is reported (and counted by the caller) and the others still
 * get the value. rxjs would rethrow it asynchronously and end the process.
 */
export class Feed<T> {
  private readonly observers = new Set<(value: T) => void>();

  constructor(private readonly onError: (error: unknown) => void) {}

  get observed(): boolean {
    return this.observers.size > 0;
  }

  subscribe(observer: FeedObserver<T>): FeedSubscription {
    const fn = typeof observer === 'function' ? observer : (v: T) => observer.next(v);
    this.observers.add(fn);
    return { unsubscribe: () => void this.observers.delete(fn) };
  }

  next(value: T): void {
    for (const fn of [...this.observers]) {
      try {
        fn(value);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  clear(): void {
    this.observers.clear();
  }
}

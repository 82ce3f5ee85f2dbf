/**
 * The conventional design we compare against: a FIFO promise mutex taken around
 * each handler core. Kept in the benchmark only, as the baseline.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => T): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = next;
    await prev;
    try {
      return fn();
    } finally {
      release();
    }
  }
}

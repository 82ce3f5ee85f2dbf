export interface LogLimiterOptions {
  /** Lines of one kind let through back to back. */
  readonly burst: number;
  /** Lines of one kind let through per second once the burst is spent. */
  readonly perSecond: number;
  /** How soon a count of suppressed lines is reported when no line of its kind follows (default 1 s). */
  readonly summaryMs?: number;
  /** Clock in ms (tests pass their own). */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
  suppressed: number;
  summary: NodeJS.Timeout | null;
}

/**
 * A token bucket per kind of log line, so a connection storm cannot flood the
 * log (or slow the server writing it). Suppressed lines are counted and reported
 * as "N similar lines suppressed": before the next line of that kind, or on
 * their own a moment later (`summaryMs`), or at `flush`.
 */
export class LogLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(
    private readonly out: (line: string) => void,
    private readonly opts: LogLimiterOptions = { burst: 20, perSecond: 5 },
  ) {
    this.now = opts.now ?? Date.now;
  }

  line(kind: string, text: string): void {
    const b = this.refilled(kind);
    if (b.tokens < 1) {
      b.suppressed++;
      b.summary ??= setTimeout(() => this.report(kind), this.opts.summaryMs ?? 1000).unref();
      return;
    }
    b.tokens--;
    this.report(kind);
    this.out(text);
  }

  /** Reports every pending suppression count now (at shutdown). */
  flush(): void {
    for (const kind of this.buckets.keys()) this.report(kind);
  }

  private report(kind: string): void {
    const b = this.buckets.get(kind);
    if (!b) return;
    if (b.summary) clearTimeout(b.summary);
    b.summary = null;
    if (b.suppressed === 0) return;
    const n = b.suppressed;
    b.suppressed = 0;
    this.out(`${n} similar ${kind} line${n === 1 ? '' : 's'} suppressed`);
  }

  private refilled(kind: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(kind);
    if (!b) {
      b = { tokens: this.opts.burst, at: t, suppressed: 0, summary: null };
      this.buckets.set(kind, b);
    }
    b.tokens = Math.min(this.opts.burst, b.tokens + ((t - b.at) / 1000) * this.opts.perSecond);
    b.at = t;
    return b;
  }
}

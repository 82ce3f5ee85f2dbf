import { describe, expect, it } from 'vitest';
import { LogLimiter } from '../../src/server/log-limiter.js';

function limited(burst: number, perSecond: number) {
  const out: string[] = [];
  let t = 0;
  const limiter = new LogLimiter((l) => out.push(l), { burst, perSecond, summaryMs: 60_000, now: () => t });
  return { out, limiter, advance: (ms: number) => (t += ms) };
}

describe('LogLimiter', () => {
  it('lets a burst through, suppresses the rest and reports how many before the next line of that kind', () => {
    const { out, limiter, advance } = limited(3, 1);
    for (let i = 0; i < 10; i++) limiter.line('refused', `refused ${i}`);
    expect(out).toEqual(['refused 0', 'refused 1', 'refused 2']);
    advance(1000); // one token back
    limiter.line('refused', 'refused 10');
    expect(out.slice(3)).toEqual(['7 similar refused lines suppressed', 'refused 10']);
    limiter.line('refused', 'refused 11');
    expect(out).toHaveLength(5);
    limiter.flush();
    expect(out.at(-1)).toBe('1 similar refused line suppressed');
    limiter.flush();
    expect(out).toHaveLength(6);
  });

  it('keeps one bucket per kind: a storm of one kind does not hide another', () => {
    const { out, limiter } = limited(2, 1);
    for (let i = 0; i < 5; i++) limiter.line('refused', `refused ${i}`);
    limiter.line('closed', 'closed a');
    expect(out).toEqual(['refused 0', 'refused 1', 'closed a']);
  });

  it('reports a suppressed count on its own once the storm is over', async () => {
    const out: string[] = [];
    const limiter = new LogLimiter((l) => out.push(l), { burst: 1, perSecond: 0.001, summaryMs: 30 });
    for (let i = 0; i < 4; i++) limiter.line('connected', `connected ${i}`);
    expect(out).toEqual(['connected 0']);
    await new Promise((r) => setTimeout(r, 200));
    expect(out).toEqual(['connected 0', '3 similar connected lines suppressed']);
  });
});

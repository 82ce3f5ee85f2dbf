import { describe, expect, it } from 'vitest';
import { PHASES } from '../../src/lin/contention/phases.js';
import { ALL_PHASES } from '../../src/lin/contention/all-phases.js';
import { runPhase } from '../../src/lin/contention/run-phase.js';
import { formatReport } from '../../src/lin/report.js';

/** The small version of `npm run stress`: every phase, both key variants, a few iterations per client. */
const ITERATIONS = 8;

describe('contention suite (spec-stress 2): every history is linearizable and every phase raced', () => {
  it('has all 36 of wolfHSM\'s phases, in its execution order', () => {
    expect(PHASES.map((p) => p.id)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(PHASES.filter((p) => p.dma)).toHaveLength(5);
  });

  for (const phase of ALL_PHASES) {
    for (const variant of ['global', 'local'] as const) {
      it(`${phase.id} ${phase.name} (${variant} key)`, async () => {
        const r = await runPhase(phase, variant, { iterations: ITERATIONS, ownerJitter: 1 });
        expect(r.result.verdict, formatReport(r.model, r.result)).toBe('ok');
        expect(r.overlaps, 'no two operations of different clients ever overlapped').toBeGreaterThan(0);
        expect(r.ops).toBeGreaterThanOrEqual(4 * Math.max(1, Math.round(ITERATIONS * (phase.share ?? 1))));
      });
    }
  }
});

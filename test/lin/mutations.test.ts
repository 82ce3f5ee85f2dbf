import { describe, expect, it } from 'vitest';
import { phaseById } from '../../src/lin/contention/all-phases.js';
import { runPhase, type KeyVariant } from '../../src/lin/contention/run-phase.js';
import { BROKEN_HANDLERS } from '../helpers/broken-handlers.js';


/** Which scenario must expose each split compound operation. */
const TARGETS: Record<keyof typeof BROKEN_HANDLERS, { phase: number; variant: KeyVariant }> = {
  'counter increment (#17)': { phase: 30, variant: 'global' },
  'nvm read (#14)': { phase: 28, variant: 'global' },
  'nvm add (#12)': { phase: 101, variant: 'global' },
  'nvm destroy (#13)': { phase: 102, variant: 'global' },
  'key cache with a picked id (#1)': { phase: 23, variant: 'global' },
  'key export (#7)': { phase: 103, variant: 'global' },
  'key cache with an explicit id (#2)': { phase: 104, variant: 'global' },
  'key evict (#3)': { phase: 105, variant: 'global' },
  'key erase (#4)': { phase: 106, variant: 'global' },
  'key revoke (#6)': { phase: 107, variant: 'global' },
  'key export dma (#8)': { phase: 108, variant: 'global' },
  'add with reclaim (#19)': { phase: 109, variant: 'global' },
  'key commit (#5)': { phase: 110, variant: 'global' },
  'crypto key use (#9)': { phase: 112, variant: 'global' },
  'she load key': { phase: 117, variant: 'global' },
  'pk keygen unique id': { phase: 114, variant: 'global' },
  'pk key use': { phase: 115, variant: 'global' },
  'cert erase trusted': { phase: 118, variant: 'global' },
  'cert verify with leaf key': { phase: 119, variant: 'global' },
};

const MAX_RUNS = 40;

describe('mutation tests: a handler split into two owner messages is caught', () => {
  it.each(Object.keys(TARGETS) as (keyof typeof BROKEN_HANDLERS)[])('%s', async (name) => {
    const t = TARGETS[name];
    let caughtAt = 0;
    for (let run = 1; run <= MAX_RUNS && caughtAt === 0; run++) {
      const r = await runPhase(phaseById(t.phase), t.variant, { iterations: 8, handlers: BROKEN_HANDLERS[name], ownerJitter: 2 });
      if (r.result.verdict === 'illegal') caughtAt = run;
    }
    expect(caughtAt, `not caught within ${MAX_RUNS} runs`).toBeGreaterThan(0);
  });
});

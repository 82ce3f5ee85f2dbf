import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import type { HandlerTable } from '../../src/handlers/dispatch.js';
import type { OwnerPort } from '../../src/handlers/handler-types.js';
import { checkOperations } from '../../src/lin/checker.js';
import { phaseModel, PHASE_GEOMETRY } from '../../src/lin/contention/run-phase.js';
import { RecordingHsmClient } from '../../src/lin/hsm-history.js';
import type { HsmInput, HsmOutput } from '../../src/lin/models/hsm.js';
import { HistoryRecorder } from '../../src/lin/recorder.js';
import { formatReport } from '../../src/lin/report.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import type { ClientTransport } from '../../src/ports/transport/transport.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import { BROKEN_HANDLERS } from '../helpers/broken-handlers.js';
import { testingOwnerOps } from '../../src/testing/owner-ops.js';

type Step =
  | { t: 'add'; id: number; len: number; v: number; flags: number }
  | { t: 'read' | 'meta' | 'destroy'; id: number }
  | { t: 'inc' | 'cread' | 'cinit' }
  | { t: 'kcache'; v: number; noexport: boolean }
  | { t: 'kexport' | 'kevict' | 'kcommit' };

const id = fc.constantFrom(1, 2);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), id, len: fc.constantFrom(4, 8), v: fc.nat(255), flags: fc.constantFrom(0, 0, 0x0001, 0x0800) }),
  fc.record({ t: fc.constantFrom('read' as const, 'meta' as const, 'destroy' as const), id }),
  fc.record({ t: fc.constantFrom('inc' as const, 'cread' as const, 'cinit' as const) }),
  fc.record({ t: fc.constant('kcache' as const), v: fc.nat(255), noexport: fc.boolean() }),
  fc.record({ t: fc.constantFrom('kexport' as const, 'kevict' as const, 'kcommit' as const) }),
);
/** Lincheck-style: a setup prefix, 2-4 lanes of 2-5 operations, then a final check of everything. */
const scenario = fc.record({
  setup: fc.array(step, { maxLength: 3 }),
  lanes: fc.array(fc.array(step, { minLength: 2, maxLength: 5 }), { minLength: 2, maxLength: 4 }),
});

type Scenario = { setup: Step[]; lanes: Step[][] };
/** The checker's account of the last violation (printed when a property fails). */
let lastReport = '';
const KEY = 0x0105; // global key 5: shared by every lane

function run(c: RecordingHsmClient, s: Step): Promise<unknown> {
  switch (s.t) {
    case 'add':
      return c.add(s.id, Array.from({ length: s.len }, (_, i) => (s.v + i) & 0xff), s.flags);
    case 'read':
      return c.read(s.id, 0, 8);
    case 'meta':
      return c.getMetadata(s.id);
    case 'destroy':
      return c.destroy([s.id]);
    case 'inc':
      return c.counterIncrement(1);
    case 'cread':
      return c.counterRead(1);
    case 'cinit':
      return c.counterInit(1, 0);
    case 'kcache':
      return c.keyCache(KEY, [s.v, s.v ^ 0xff], s.noexport ? 0x0004 : 0);
    case 'kexport':
      return c.keyExport(KEY);
    case 'kevict':
      return c.keyEvict(KEY);
    case 'kcommit':
      return c.keyCommit(KEY);
  }
}

/** Every request and every owner message waits for the scheduler: it alone picks the interleaving. */
async function scheduledRun(s: fc.Scheduler, sc: Scenario, handlers?: HandlerTable): Promise<boolean> {
  const g = PHASE_GEOMETRY;
  const server = createHsmServer({
    flash: new RamFlash({ size: 2 * g.partitionSize, sectorSize: g.partitionSize, pageSize: 8 }),
    config: { nvmObjectCount: g.objectCount },
    interceptOwner: (port: OwnerPort, sessionId: string): OwnerPort => ({
      call: (l, k, a) => s.schedule(Promise.resolve(), `${sessionId} ${k}`).then(() => port.call(l, k, a)),
      acquireLease: (l) => port.acquireLease(l),
      releaseLease: (l) => port.releaseLease(l),
    }),
    ...(handlers ? { handlers, extraOps: testingOwnerOps } : {}),
  });
  const recorder = new HistoryRecorder<HsmInput, HsmOutput>();
  const scheduled = (inner: ClientTransport, label: string): ClientTransport => ({
    request: (p) => s.schedule(Promise.resolve(), label).then(() => inner.request(p)),
    close: () => inner.close(),
  });
  try {
    const lanes = sc.lanes.map((_, i) => {
      const c = new HsmClient(scheduled(server.connectMemory().client, `lane ${i}`));
      // Every lane is a connection of client 1, so counters are shared as well (local keys stay per connection).
      return { c, rec: new RecordingHsmClient(c, 1, recorder, undefined, `lane ${i}`) };
    });
    const work = (async () => {
      for (const l of lanes) await l.c.commInit(l.rec.clientId);
      for (const st of sc.setup) await run(lanes[0]!.rec, st);
      await Promise.all(sc.lanes.map(async (prog, i) => {
        for (const st of prog) await run(lanes[i]!.rec, st);
      }));
      for (const st of [{ t: 'read', id: 1 }, { t: 'read', id: 2 }, { t: 'meta', id: 1 }, { t: 'meta', id: 2 }, { t: 'kexport' }, { t: 'cread' }] as Step[]) await run(lanes[0]!.rec, st);
    })();
    await s.waitFor(work);
    const history = recorder.history();
    const model = phaseModel(history, g);
    const r = checkOperations(model, history);
    if (r.verdict !== 'ok') lastReport = formatReport(model, r);
    return r.verdict === 'ok';
  } finally {
    server.stop();
  }
}

const SEED = Number(process.env.ACTORHSM_SEED ?? 20261124);

const STUCK = {
  'counter increment (#17)': /counter\./,
  'nvm add (#12)': /nvm\./,
  'nvm destroy (#13)': /nvm\./,
  'key export (#7)': /key\./,
} as const;

describe('fast-check scheduler over the transport and owner boundaries', () => {
  it('every interleaving it picks gives a linearizable history', async () => {
    await fc.assert(fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
        expect(await scheduledRun(s, sc)).toBe(true);
      }), { numRuns: 150 });
  });

  it.each(['counter increment (#17)', 'nvm add (#12)', 'nvm destroy (#13)', 'key export (#7)'] as const)(
    'finds and shrinks a schedule that breaks a split handler: %s',
    async (name) => {
      // A fixed seed keeps the bound reproducible; the property itself is the same random search.
      const out = await fc.check(fc.asyncProperty(fc.scheduler(), scenario, (s, sc) => scheduledRun(s, sc, BROKEN_HANDLERS[name])), { numRuns: 500, seed: SEED });
      expect(out.failed).toBe(true);
      const [, sc] = out.counterexample as [fc.Scheduler, Scenario];
      // Shrinking leaves a small scenario, and the report names an operation of the broken kind.
      expect(out.numShrinks).toBeGreaterThan(0);
      expect(sc.lanes.flat().length + sc.setup.length, lastReport).toBeLessThanOrEqual(16);
      expect(lastReport).toMatch(STUCK[name]);
    },
  );
});

import { HsmClient } from '../../client/hsm-client.js';
import type { HandlerTable } from '../../handlers/dispatch.js';
import { testingOwnerOps } from '../../testing/owner-ops.js';
import type { OwnerPort } from '../../handlers/handler-types.js';
import { ClientKeyFlag } from '../../keystore/key-id.js';
import { SimulatedClientMemory } from '../../ports/dma/client-memory.js';
import { RamFlash } from '../../ports/flash/ram-flash.js';
import { createHsmServer } from '../../server/hsm-server.js';
import { checkOperations } from '../checker.js';
import { RecordingHsmClient } from '../hsm-history.js';
import { hsmModel, type HsmGeometry, type HsmInput, type HsmOutput } from '../models/hsm.js';
import { objectModel, objectModelSupports } from '../models/objects.js';
import { HistoryRecorder, countOverlaps } from '../recorder.js';
import type { CheckResult, Model, Operation } from '../types.js';
import { PAIRED_IDS, type Phase } from './phases.js';

export type KeyVariant = 'global' | 'local';

export interface PhaseRunOptions {
  /** Iterations per client. */
  readonly iterations: number;
  readonly clients?: number;
  readonly geometry?: HsmGeometry;
  /** Checker time budget. */
  readonly timeoutMs?: number;
  /** Replace handlers (mutation tests plant broken ones). */
  readonly handlers?: HandlerTable;
  /**
   * Delay every owner message by 0..N event-loop turns (random), so messages of
   * different sessions interleave in many more ways than plain scheduling gives.
   */
  readonly ownerJitter?: number;
}

/** An owner port whose calls each wait a random number of event-loop turns first. */
export function jitteredOwner(port: OwnerPort, maxTurns: number): OwnerPort {
  const turns = async () => {
    for (let n = Math.floor(Math.random() * (maxTurns + 1)); n > 0; n--) await new Promise((r) => setImmediate(r));
  };
  return {
    call: (lessee, kind, args) => turns().then(() => port.call(lessee, kind, args)),
    acquireLease: (lessee) => turns().then(() => port.acquireLease(lessee)),
    releaseLease: (lessee) => port.releaseLease(lessee),
  };
}

export interface PhaseRun {
  readonly phase: Phase;
  readonly variant: KeyVariant;
  readonly history: Operation<HsmInput, HsmOutput>[];
  /** The model the history was checked against (per-object when possible, else the whole HSM). */
  readonly model: Model<unknown, HsmInput, HsmOutput>;
  readonly result: CheckResult<unknown, HsmInput, HsmOutput>;
  /** Pairs of racing operations (different clients, overlapping intervals) after setup. */
  readonly overlaps: number;
  readonly ops: number;
}

/** Small enough for the model to snapshot quickly, big enough for the phases (30 objects, as wolfHSM's test). */
export const PHASE_GEOMETRY: HsmGeometry = {
  partitionSize: 8192,
  objectCount: 30,
  keyCache: { count: 9, bufSize: 256, bigCount: 3, bigBufSize: 1200 },
};

/**
 * The per-object model when every operation touches one object (then the
 * history splits by object and long runs stay cheap to check), else the whole-HSM
 * reference model (LIST, GETAVAILABLE and id assignment depend on everything).
 */
export function phaseModel(history: readonly Operation<HsmInput, HsmOutput>[], g: HsmGeometry): Model<unknown, HsmInput, HsmOutput> {
  return (objectModelSupports(history) ? objectModel : hsmModel(g)) as Model<unknown, HsmInput, HsmOutput>;
}

const HOT_KEY = 0x0a;
const REVOKE_KEY = 0x0c;

/** Runs one phase in one variant on a fresh server and checks its whole history for linearizability. */
export async function runPhase(phase: Phase, variant: KeyVariant, o: PhaseRunOptions): Promise<PhaseRun> {
  const g = o.geometry ?? PHASE_GEOMETRY;
  const server = createHsmServer({
    flash: new RamFlash({ size: 2 * g.partitionSize, sectorSize: g.partitionSize, pageSize: 8 }),
    config: { nvmObjectCount: g.objectCount, keyCacheCount: g.keyCache.count, keyCacheBufSize: g.keyCache.bufSize, keyCacheBigCount: g.keyCache.bigCount, keyCacheBigBufSize: g.keyCache.bigBufSize },
    random: (n) => new Uint8Array(n),
    // Planted handlers may use the testing primitives.
    ...(o.handlers ? { handlers: o.handlers, extraOps: testingOwnerOps } : {}),
    ...(o.ownerJitter ? { interceptOwner: (port: OwnerPort) => jitteredOwner(port, o.ownerJitter!) } : {}),
  });
  const recorder = new HistoryRecorder<HsmInput, HsmOutput>();
  try {
    const n = o.clients ?? 4;
    const ids = phase.clientIds ?? (variant === 'local' ? PAIRED_IDS : [1, 2, 3, 4]);
    const clients: RecordingHsmClient[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids[i % ids.length]!;
      const mem = new SimulatedClientMemory({ base: 0x1000_0000n * BigInt(i + 1), size: 4096 });
      const c = new HsmClient(server.connectMemory({ dma: mem }).client);
      await c.commInit(id);
      clients.push(new RecordingHsmClient(c, id, recorder, mem, `conn ${i} (id ${id})`));
    }
    const flag = variant === 'global' ? ClientKeyFlag.GLOBAL : 0;
    const K = HOT_KEY | flag;
    const R = (variant === 'global' ? REVOKE_KEY : REVOKE_KEY + 1) | flag;
    const N = 100;
    await phase.setup({ c0: clients[0]!, clients, K, N, R });
    const setupOps = recorder.history().length;
    const iterations = Math.max(1, Math.round(o.iterations * (phase.share ?? 1)));
    if (phase.lockstep) {
      for (let iter = 0; iter < iterations; iter++) await Promise.all(clients.map((c, idx) => phase.op({ c, idx, iter, K, N, R })));
    } else {
      await Promise.all(
        clients.map(async (c, idx) => {
          for (let iter = 0; iter < iterations; iter++) await phase.op({ c, idx, iter, K, N, R });
        }),
      );
    }
    await phase.final?.({ c0: clients[0]!, K, N, iterations });
    const history = recorder.history();
    const after = new Set(history.slice(setupOps));
    const model = phaseModel(history, g);
    const result = checkOperations(model, history, o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {});
    return { phase, variant, history, model, result, overlaps: countOverlaps(history, (op) => after.has(op)), ops: history.length };
  } finally {
    recorder.complete();
    server.stop();
  }
}

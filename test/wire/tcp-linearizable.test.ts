import { afterEach, describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { checkOperations } from '../../src/lin/checker.js';
import { PHASE_GEOMETRY, phaseModel } from '../../src/lin/contention/run-phase.js';
import { RecordingHsmClient } from '../../src/lin/hsm-history.js';
import type { HsmInput, HsmOutput } from '../../src/lin/models/hsm.js';
import { HistoryRecorder, countOverlaps } from '../../src/lin/recorder.js';
import { formatReport } from '../../src/lin/report.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { connectTcp } from '../../src/ports/transport/tcp-transport.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import { listenTcp, type TcpListener } from '../../src/server/tcp-listener.js';

let listener: TcpListener | null = null;
afterEach(async () => {
  await listener?.close();
  listener = null;
});

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

describe('TCP end to end', () => {
  it.each([1, 2, 3])('six HsmClients over real sockets run NVM, key and counter workloads at once; the history is linearizable (seed %i)', async (seed) => {
    const g = PHASE_GEOMETRY;
    const server = createHsmServer({ flash: new RamFlash({ size: 2 * g.partitionSize, sectorSize: g.partitionSize, pageSize: 8 }), config: { nvmObjectCount: g.objectCount } });
    listener = await listenTcp(server, { port: 0 });
    const recorder = new HistoryRecorder<HsmInput, HsmOutput>();
    const clients = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const c = new HsmClient(await connectTcp({ port: listener!.port }));
        const id = 1 + (i % 3); // two connections per client id: counters and local keys are raced too
        await c.commInit(id);
        return new RecordingHsmClient(c, id, recorder, undefined, `tcp ${i}`);
      }),
    );
    await clients[0]!.counterInit(1, 0);
    await clients[1]!.counterInit(1, 0);
    await clients[2]!.counterInit(1, 0);
    await Promise.all(
      clients.map(async (c, i) => {
        const r = rng(seed * 100 + i);
        for (let k = 0; k < 40; k++) {
          const obj = 1 + r(3);
          const v = Array.from({ length: 4 + r(8) }, () => r(256));
          switch (r(9)) {
            case 0:
              await c.add(obj, v);
              break;
            case 1:
              await c.read(obj, 0, 16);
              break;
            case 2:
              await c.destroy([obj]);
              break;
            case 3:
              await c.counterIncrement(1);
              break;
            case 4:
              await c.counterRead(1);
              break;
            case 5:
              await c.keyCache(0x105, v);
              break;
            case 6:
              await c.keyExport(0x105);
              break;
            case 7:
              await c.keyCommit(0x105);
              break;
            default:
              await c.keyEvict(0x105);
          }
        }
      }),
    );
    const history = recorder.history();
    const model = phaseModel(history, g);
    const result = checkOperations(model, history);
    expect(result.verdict, formatReport(model, result)).toBe('ok');
    expect(countOverlaps(history)).toBeGreaterThan(50);
    expect(history.length).toBe(3 + 6 * 40);
    server.stop();
  });
});

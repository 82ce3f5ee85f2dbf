import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import type { OwnerOpRecord } from '../../src/actors/owner-store.js';
import { ownerState, runOwnerOp } from '../../src/actors/owner-ops.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import type { ClientTransport } from '../../src/ports/transport/transport.js';
import { ramFlash, testServer } from '../helpers/server-fixture.js';

type Step =
  | { t: 'add'; id: number; v: number; len: number }
  | { t: 'read'; id: number }
  | { t: 'destroy'; id: number }
  | { t: 'list' }
  | { t: 'avail' }
  | { t: 'meta'; id: number }
  | { t: 'cinit'; v: number }
  | { t: 'cinc' }
  | { t: 'cread' };

const id = fc.integer({ min: 1, max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: fc.constant('add' as const), id, v: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ t: fc.constant('read' as const), id }),
  fc.record({ t: fc.constant('destroy' as const), id }),
  fc.record({ t: fc.constant('list' as const) }),
  fc.record({ t: fc.constant('avail' as const) }),
  fc.record({ t: fc.constant('meta' as const), id }),
  fc.record({ t: fc.constant('cinit' as const), v: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('cinc' as const) }),
  fc.record({ t: fc.constant('cread' as const) }),
);

async function runStep(c: HsmClient, s: Step): Promise<number> {
  switch (s.t) {
    case 'add':
      return c.nvmAddObject(makeMetadata({ id: s.id }), new Uint8Array(s.len).fill(s.v));
    case 'read':
      return (await c.nvmRead(s.id, 0, 64)).rc;
    case 'destroy':
      return c.nvmDestroyObjects([s.id]);
    case 'list':
      return (await c.nvmList(0, 0, 0)).rc;
    case 'avail':
      return (await c.nvmGetAvailable()).rc;
    case 'meta':
      return (await c.nvmGetMetadata(s.id)).rc;
    case 'cinit':
      return (await c.counterInit(7, s.v)).rc;
    case 'cinc':
      return (await c.counterIncrement(7)).rc;
    case 'cread':
      return (await c.counterRead(7)).rc;
  }
}

/** Lets the scheduler decide when each request reaches the server. */
function scheduled(s: fc.Scheduler, inner: ClientTransport, label: string): ClientTransport {
  return {
    request: (p) => s.schedule(Promise.resolve(), label).then(() => inner.request(p)),
    close: () => inner.close(),
  };
}

const plain = (r: unknown) => JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));

describe.each([
  { lane: 'direct lane on', directLane: true },
  { lane: 'every op through the machine', directLane: false },
])('many client actors against one owner ($lane)', ({ directLane }) => {
  it('every reply equals the one a serial replay of the owner order gives, in each client\'s program order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }), async (s, programs) => {
        const flash = ramFlash(2048);
        const { server } = testServer({ flash, config: { nvmObjectCount: 8 }, directLane });
        const initial = flash.snapshot();
        const records: OwnerOpRecord[] = [];
        server.owner.ops$.subscribe((r) => records.push(r));
        const replies = new Map<string, number[]>();

        const runs = programs.map(async (prog, i) => {
          const { client, session } = server.connectMemory();
          const c = new HsmClient(scheduled(s, client, `client${i + 1}`));
          await c.commInit(i + 1);
          const rcs: number[] = [];
          for (const st of prog) rcs.push(await runStep(c, st));
          replies.set(session.sessionId, rcs);
        });
        await s.waitFor(Promise.all(runs));

        // Replay the owner's serialisation order on a fresh store: same answers.
        const nvm = new Nvm();
        expect(nvm.init(new NvmFlash(ramFlash(2048, initial), { objectCount: 8 }))).toBe(0);
        const replayState = ownerState(nvm);
        for (const r of records) expect(plain(runOwnerOp(replayState, r.op))).toEqual(plain(r.result));

        // One owner message per request (a destroy: its steps under one lease, then the durability wait),
        // and each client's answers are the owner's answers in program order.
        const requestLevel = (r: OwnerOpRecord) => !(r.op.kind === 'nvm.sync' || (r.op.kind.startsWith('nvm.destroy') && !(r.result as { done: boolean }).done));
        for (const [sid, rcs] of replies) {
          const mine = records.filter((r) => r.lessee === sid && requestLevel(r)).map((r) => (r.result as { rc: number }).rc);
          expect(mine).toEqual(rcs);
        }
        expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
        server.stop();
      }),
      { numRuns: 60 },
    );
  });

  it('the replay check catches a non-serialisable answer (the property is not vacuous)', () => {
    const flash = ramFlash(2048);
    const nvm = new Nvm();
    nvm.init(new NvmFlash(flash, { objectCount: 8 }));
    const forged: OwnerOpRecord = { lessee: 'x', seq: 1, op: { kind: 'nvm.getMetadata', args: { id: 1 } }, result: { rc: 0 } };
    expect(plain(runOwnerOp(ownerState(nvm), forged.op))).not.toEqual(plain(forged.result));
  });
});

describe('handlers make exactly one owner round trip per request', () => {
  it('NVM and COUNTER requests: one owner message each; COMM, NVM INIT/CLEANUP and size errors: none', async () => {
    const { server, connect } = testServer();
    const { client: c, session } = connect();
    const delta = async (f: () => Promise<unknown>) => {
      const before = server.owner.messagesOf(session.sessionId);
      await f();
      return server.owner.messagesOf(session.sessionId) - before;
    };
    expect(await delta(() => c.commInit(4))).toBe(0);
    expect(await delta(() => c.echo(new Uint8Array([1, 2])))).toBe(0);
    expect(await delta(() => c.nvmAddObject(makeMetadata({ id: 5 }), new Uint8Array(10)))).toBe(1);
    expect(await delta(() => c.nvmRead(5, 2, 100))).toBe(1);
    expect(await delta(() => c.nvmGetMetadata(5))).toBe(1);
    expect(await delta(() => c.nvmList(0, 0, 0))).toBe(1);
    expect(await delta(() => c.nvmGetAvailable())).toBe(1);
    // A destroy compacts in steps under one lease (here no object is left to copy: one step),
    // then waits for durability with one more message outside the lease.
    const leases = server.owner.status.leasesGranted;
    expect(await delta(() => c.nvmDestroyObjects([5]))).toBe(2);
    expect(server.owner.status.leasesGranted).toBe(leases + 1);
    expect(await delta(() => c.counterInit(1, 5))).toBe(1);
    expect(await delta(() => c.counterIncrement(1))).toBe(1);
    expect(await delta(() => c.counterRead(1))).toBe(1);
    expect(await delta(() => c.counterDestroy(1))).toBe(1);
    expect(await delta(() => c.request(0x0201, new Uint8Array(4)))).toBe(0);
    expect(await delta(() => c.request(0x0208, new Uint8Array(5)))).toBe(0);
  });

  it('the NVM read clamp and the bytes come from one owner message (metadata + checked read)', async () => {
    const { server, connect } = testServer();
    const { client: c, session } = connect();
    const kinds: string[] = [];
    server.owner.ops$.subscribe((r) => r.lessee === session.sessionId && kinds.push(r.op.kind));
    await c.nvmAddObject(makeMetadata({ id: 8 }), new Uint8Array([1, 2, 3, 4]));
    expect(await c.nvmRead(8, 1, 100)).toEqual({ rc: 0, data: new Uint8Array([2, 3, 4]) });
    expect(kinds).toEqual(['nvm.addObjectChecked', 'nvm.readClamped']);
  });
});

describe('COMM over the session', () => {
  it('INFO reports the server configuration; INIT refuses ids 0 and > 15 with an empty answer', async () => {
    const { connect } = testServer({ config: { nvmObjectCount: 30, keyCacheCount: 9 } });
    const { client: c } = connect();
    expect(await c.commInfo()).toMatchObject({ dataLen: 8192, nvmObjectCount: 30, keyCacheCount: 9, keyCacheBufSize: 256, version: '01.01.01', build: '12345678' });
    expect((await c.request(0x0101, new Uint8Array([16, 0, 0, 0]))).length).toBe(0);
    expect((await c.request(0x0101, new Uint8Array([0, 0, 0, 0]))).length).toBe(0);
    expect(await c.commInit(12)).toEqual({ clientId: 12, serverId: 57 });
  });
});

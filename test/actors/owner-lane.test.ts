import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { deriveDirectLane } from '../../src/actors/owner-lane.js';
import { OwnerStore } from '../../src/actors/owner-store.js';
import { ownerState } from '../../src/actors/owner-ops.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { ramNvm } from '../helpers/nvm-fixture.js';
import { testServer } from '../helpers/server-fixture.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the direct lane is derived from the owner machine', () => {
  it('is exactly: serving with no revocation, and leased for the holder', () => {
    const lane = deriveDirectLane(new OwnerStore(ownerState(ramNvm().nvm)));
    // (A holder that is also marked revoked cannot occur: acquiring clears the mark; the machine serves it as the holder.)
    expect([...lane].sort()).toEqual(['contended|self|clear', 'contended|self|revoked', 'leased|self|clear', 'leased|self|revoked', 'serving|none|clear']);
  });

  /** Drives every state and event kind; returns what each caller saw and the serialisation order. */
  async function script(directLane: boolean) {
    const { server } = testServer({ directLane, leaseTimeoutMs: 30 });
    const log: string[] = [];
    server.owner.ops$.subscribe((r) => log.push(`op ${r.lessee} ${r.op.kind} ${(r.result as { rc: number }).rc}`));
    server.owner.notices$.subscribe((n) => log.push(`${n.type} ${'lessee' in n ? n.lessee : ''}`));
    const [a, b, c] = ['a', 'b', 'c'].map((n) => server.nvmFor(n)) as [ReturnType<typeof server.nvmFor>, ReturnType<typeof server.nvmFor>, ReturnType<typeof server.nvmFor>];
    const answers: unknown[] = [];
    const note = async (what: string, p: Promise<unknown>) => answers.push([what, await p]);
    await note('serving op', a.addObject(makeMetadata({ id: 1 }), new Uint8Array([1])));
    await note('acquire', a.lock.acquire());
    await note('holder op', a.read(1, 0, 1));
    const waiting = [note('other op', b.getAvailable()), note('other acquire', c.lock.acquire()), note('other op 2', b.getMetadata(1))];
    await flush();
    await note('recursive acquire', a.lock.acquire());
    await note('foreign release', b.lock.release());
    await note('release', a.lock.release());
    await Promise.all(waiting);
    await note('holder c op', c.destroyObjects([1]));
    b.close();
    await note('closed lessee op', b.getAvailable());
    await new Promise((r) => setTimeout(r, 60)); // c's lease passes its deadline
    await note('revoked op', c.getAvailable());
    await note('revoked release', c.lock.release());
    await note('after revocation', c.getAvailable());
    server.stop();
    await note('stopped op', a.getAvailable());
    await note('stopped acquire', a.lock.acquire());
    return { answers, log };
  }

  it('both lanes give the same answers and the same serialisation order on every state and event', async () => {
    const direct = await script(true);
    const machine = await script(false);
    expect(direct.answers).toEqual(machine.answers);
    expect(direct.log).toEqual(machine.log);
    expect(direct.answers).toContainEqual(['foreign release', WhError.LOCKED]);
    expect(direct.answers).toContainEqual(['revoked op', { rc: WhError.ABORTED }]);
  });

  it('a call made while the machine is still processing an event waits its mailbox turn (it never overtakes)', async () => {
    const { server } = testServer();
    const [a, b, x, w, z] = ['a', 'b', 'x', 'w', 'z'].map((n) => server.nvmFor(n)) as ReturnType<typeof server.nvmFor>[] as [
      ReturnType<typeof server.nvmFor>,
      ReturnType<typeof server.nvmFor>,
      ReturnType<typeof server.nvmFor>,
      ReturnType<typeof server.nvmFor>,
      ReturnType<typeof server.nvmFor>,
    ];
    await a.lock.acquire();
    const order: string[] = [];
    const pending: Promise<unknown>[] = [];
    server.owner.ops$.subscribe((r) => {
      order.push(r.lessee);
      // Telemetry that calls back into the owner while it replays b's waiting op:
      if (r.lessee === 'b') pending.push(x.getAvailable(), w.getAvailable());
      if (r.lessee === 'x') pending.push(z.getAvailable());
    });
    const bOp = b.getAvailable();
    await flush();
    await a.lock.release();
    await bOp;
    await Promise.all(pending);
    await Promise.all(pending); // z's call was added while x ran
    expect(order).toEqual(['b', 'x', 'w', 'z']);
  });
});

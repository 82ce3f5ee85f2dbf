import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import type { OwnerOpRecord } from '../../src/actors/owner-store.js';
import { testServer } from '../helpers/server-fixture.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { EMPTY, type HandlerContext } from '../../src/handlers/handler-types.js';
import { Group, kind } from '../../src/protocol/groups.js';

const enc = (n: number) => new Uint8Array([n & 0xff]);
const flush = () => new Promise((r) => setTimeout(r, 0));

describe.each([{ directLane: true }, { directLane: false }])('the lease behind the lock API (direct lane: $directLane)', ({ directLane }) => {
  it('grants waiters in FIFO order', async () => {
    const { server } = testServer({ directLane });
    const order: string[] = [];
    const a = server.nvmFor('a');
    await a.lock.acquire();
    const waiters = ['b', 'c', 'd', 'e'].map((name) => {
      const p = server.nvmFor(name);
      return p.lock.acquire().then(async (rc) => {
        expect(rc).toBe(WhError.OK);
        order.push(name);
        await flush();
        await p.lock.release();
      });
    });
    await flush();
    expect(order).toEqual([]);
    await a.lock.release();
    await Promise.all(waiters);
    expect(order).toEqual(['b', 'c', 'd', 'e']);
    expect(server.owner.holder).toBe(null);
  });

  it('no starvation: 40 lessees each take the lease 3 times; every one finishes, grants alternate fairly', async () => {
    const { server } = testServer({ directLane });
    const grants: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const p = server.nvmFor(`w${i}`);
        for (let round = 0; round < 3; round++) {
          expect(await p.lock.acquire()).toBe(WhError.OK);
          grants.push(`w${i}`);
          await flush();
          expect(await p.lock.release()).toBe(WhError.OK);
        }
      }),
    );
    expect(grants).toHaveLength(120);
    // FIFO: nobody gets a second turn before everyone had a first.
    expect(new Set(grants.slice(0, 40)).size).toBe(40);
    expect(new Set(grants.slice(40, 80)).size).toBe(40);
  });

  it('non-holders are delayed, not lost or reordered', async () => {
    const { server } = testServer({ directLane });
    const seen: OwnerOpRecord[] = [];
    server.owner.ops$.subscribe((r) => seen.push(r));
    const holder = server.nvmFor('holder');
    await holder.lock.acquire();
    const b = server.nvmFor('b');
    const c = server.nvmFor('c');
    const pending = [
      b.addObject(makeMetadata({ id: 1 }), enc(1)),
      c.addObject(makeMetadata({ id: 2 }), enc(2)),
      b.addObject(makeMetadata({ id: 1 }), enc(3)),
      c.destroyObjects([2]),
      b.getMetadata(1),
    ];
    await flush();
    expect(seen).toHaveLength(0);
    expect(server.owner.status.waiting).toBe(5);
    // the holder is served at once, ahead of the queue
    expect((await holder.getAvailable()).rc).toBe(0);
    expect(seen.map((r) => r.lessee)).toEqual(['holder']);
    await holder.lock.release();
    const results = await Promise.all(pending);
    expect(seen.map((r) => `${r.lessee}:${r.op.kind}`)).toEqual([
      'holder:nvm.getAvailable',
      'b:nvm.addObject',
      'c:nvm.addObject',
      'b:nvm.addObject',
      'c:nvm.destroyObjects',
      'b:nvm.getMetadata',
    ]);
    expect(results.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(await b.read(1, 0, 1)).toEqual({ rc: 0, value: enc(3) });
  });

  it('a lease request queued behind ops is granted in its arrival position', async () => {
    const { server } = testServer({ directLane });
    const seen: string[] = [];
    server.owner.ops$.subscribe((r) => seen.push(r.lessee));
    const a = server.nvmFor('a');
    await a.lock.acquire();
    const b = server.nvmFor('b');
    const c = server.nvmFor('c');
    const bOp = b.getAvailable();
    const cLease = c.lock.acquire();
    const bOp2 = b.getAvailable();
    await a.lock.release();
    expect(await cLease).toBe(WhError.OK);
    await bOp;
    expect(seen).toEqual(['b']);
    expect(server.owner.holder).toBe('c');
    await flush();
    expect(seen).toEqual(['b']); // b's second op waits for c
    await c.lock.release();
    await bOp2;
    expect(seen).toEqual(['b', 'b']);
  });

  it('a holder that goes away releases the lease; the next waiter proceeds and its queued ops are dropped', async () => {
    const { server } = testServer({ directLane });
    const a = server.nvmFor('a');
    await a.lock.acquire();
    const b = server.nvmFor('b');
    const next = b.lock.acquire();
    a.close();
    expect(await next).toBe(WhError.OK);
    expect(server.owner.holder).toBe('b');
    await b.lock.release();
  });

  it('a client session that disconnects while holding the lease releases it', async () => {
    // A custom handler takes the session's lease and never gives it back.
    const handlers = { ...DEFAULT_HANDLERS, [Group.CUSTOM]: async (ctx: HandlerContext) => (await ctx.owner.acquireLease(ctx.session.sessionId), EMPTY) };
    const { server, connect } = testServer({ directLane, handlers });
    const { client, session } = connect();
    await client.commInit(3);
    await client.request(kind(Group.CUSTOM, 0));
    expect(server.owner.holder).toBe(session.sessionId);
    const other = server.nvmFor('other');
    let granted = false;
    const wait = other.lock.acquire().then((rc) => ((granted = true), rc));
    await flush();
    expect(granted).toBe(false);
    client.transport.close();
    expect(await wait).toBe(WhError.OK);
    expect(await session.closed).toBe('peer disconnected');
    expect(server.owner.holder).toBe('other');
  });

  it('several NVM calls between acquire and release are atomic; without the lock, updates are lost', async () => {
    const run = async (useLock: boolean) => {
      const { server } = testServer({ directLane });
      const setup = server.nvmFor('setup');
      await setup.addObjectWithReclaim(makeMetadata({ id: 9 }), new Uint8Array([0]));
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const p = server.nvmFor(`rmw${i}`);
          for (let k = 0; k < 5; k++) {
            if (useLock) await p.lock.acquire();
            const cur = await p.read(9, 0, 1);
            await flush();
            const v = cur.rc === 0 ? cur.value[0]! : 0;
            await p.addObjectWithReclaim(makeMetadata({ id: 9 }), new Uint8Array([v + 1]));
            if (useLock) await p.lock.release();
          }
        }),
      );
      const end = await setup.read(9, 0, 1);
      return end.rc === 0 ? end.value[0] : -1;
    };
    expect(await run(true)).toBe(40);
    expect(await run(false)).toBeLessThan(40);
  });
});

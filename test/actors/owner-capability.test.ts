import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { WhError } from '../../src/errors.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { EMPTY, reply, withLease, type HandlerContext } from '../../src/handlers/handler-types.js';
import { labelText, makeMetadata } from '../../src/nvm/metadata.js';
import { SimulatedClientMemory } from '../../src/ports/dma/client-memory.js';
import type { OwnerNotice, OwnerOpRecord } from '../../src/actors/owner-store.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';

/** Every notice the server's owner reports from now on, in order. */
function noticesOf(server: ReturnType<typeof testServer>['server']): OwnerNotice[] {
  const notices: OwnerNotice[] = [];
  server.owner.notices$.subscribe((n) => notices.push(n));
  return notices;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('leases are capabilities', () => {
  it('nvmFor with the same name twice gives two lessees: the second waits, its writes stay out of the first one\'s critical section', async () => {
    const { server } = testServer();
    const a = server.nvmFor('x');
    const b = server.nvmFor('x');
    expect(a.lessee).not.toBe(b.lessee);
    expect(await a.lock.acquire()).toBe(WhError.OK);
    let bGranted = false;
    const bLock = b.lock.acquire().then((rc) => ((bGranted = true), rc));
    const bWrite = b.addObject(makeMetadata({ id: 7 }), new Uint8Array([2]));
    await flush();
    expect(bGranted).toBe(false);
    expect((await a.getMetadata(7)).rc).toBe(WhError.NOTFOUND); // b's write waits outside a's lease
    expect(await a.lock.release()).toBe(WhError.OK);
    expect(await bLock).toBe(WhError.OK);
    expect(await bWrite).toBe(WhError.OK);
    expect(await b.lock.release()).toBe(WhError.OK);
  });

  it('releasing what one does not hold answers LOCKED and leaves the holder holding; one\'s own pending acquire stays pending', async () => {
    const { server } = testServer();
    const a = server.nvmFor('a');
    const b = server.nvmFor('b');
    await a.lock.acquire();
    const bAcquire = b.lock.acquire();
    expect(await b.lock.release()).toBe(WhError.LOCKED);
    expect(server.owner.holder).toBe('a');
    await a.lock.release();
    expect(await bAcquire).toBe(WhError.OK);
    expect(server.owner.holder).toBe('b');
  });

  it('a second acquire while one is still pending answers ABORTED (it would deadlock), the first is granted', async () => {
    const { server } = testServer();
    const a = server.nvmFor('a');
    const b = server.nvmFor('b');
    await a.lock.acquire();
    const first = b.lock.acquire();
    expect(await b.lock.acquire()).toBe(WhError.ABORTED);
    await a.lock.release();
    expect(await first).toBe(WhError.OK);
  });

  it('an op sent after acquire but before the grant runs after the grant, inside the new lease (no self-deadlock)', async () => {
    const { server } = testServer();
    const a = server.nvmFor('a');
    const b = server.nvmFor('b');
    const c = server.nvmFor('c');
    await a.lock.acquire();
    const order: string[] = [];
    server.owner.ops$.subscribe((r) => order.push(r.lessee));
    const bLock = b.lock.acquire();
    const cOp = c.getAvailable();
    const bOp = b.getAvailable(); // sent after b's acquire: must not wait behind b's own lease
    await a.lock.release();
    expect(await bLock).toBe(WhError.OK);
    expect((await bOp).rc).toBe(0);
    let cDone = false;
    void cOp.then(() => (cDone = true));
    await flush();
    expect(cDone).toBe(false); // c arrived before b's op but after b's acquire: it waits for b's lease
    expect(order).toEqual(['b']);
    await b.lock.release();
    await cOp;
    expect(order).toEqual(['b', 'c']);
  });

  it('a session cannot release or use another session\'s lease, whatever lessee name its handler passes', async () => {
    const handlers = {
      ...DEFAULT_HANDLERS,
      [Group.CUSTOM]: async (ctx: HandlerContext) => {
        const rc = await ctx.owner.releaseLease('victim');
        return reply(new Uint8Array([rc === WhError.LOCKED ? 1 : 0]));
      },
    };
    const { server, connect } = testServer({ handlers });
    const victim = server.nvmFor('victim');
    await victim.lock.acquire();
    const { client } = connect();
    const r = await client.request(kind(Group.CUSTOM, 0));
    expect(r.u8(0)).toBe(1);
    expect(server.owner.holder).toBe('victim');
    await victim.lock.release();
  });

  it('a lease held past its deadline is revoked with a notice; the holder\'s later calls answer ABORTED until it releases', async () => {
    const { server } = testServer({ leaseTimeoutMs: 40 });
    const notices = noticesOf(server);
    const stuck = server.nvmFor('stuck');
    const next = server.nvmFor('next');
    await stuck.lock.acquire();
    const t0 = Date.now();
    expect(await next.lock.acquire()).toBe(WhError.OK);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(30);
    expect(notices.find((n) => n.type === 'lease.revoked')).toMatchObject({ lessee: 'stuck', reason: 'deadline' });
    expect((await stuck.getAvailable()).rc).toBe(WhError.ABORTED);
    await next.lock.release();
    expect(await stuck.lock.release()).toBe(WhError.ABORTED); // told once that it lost the lease
    expect((await stuck.getAvailable()).rc).toBe(0); // then it may go on
  });

  it('the deadline counts from the grant and is enforced once someone waits: a lone holder past it keeps the lease, the first waiter takes it at once', async () => {
    const { server } = testServer({ leaseTimeoutMs: 300 });
    const notices = noticesOf(server);
    const slow = server.nvmFor('slow');
    await slow.lock.acquire();
    await new Promise((r) => setTimeout(r, 400)); // past the deadline, nobody waiting
    expect(notices.filter((n) => n.type === 'lease.revoked')).toEqual([]);
    expect((await slow.getAvailable()).rc).toBe(0); // still served as the holder
    expect(server.owner.status.state).toBe('leased');
    const t0 = Date.now();
    expect(await server.nvmFor('next').lock.acquire()).toBe(WhError.OK);
    // Its time was up before anyone waited: revoked at once, not a whole deadline (300 ms) after the waiter came.
    expect(Date.now() - t0).toBeLessThan(250);
    expect(notices.find((n) => n.type === 'lease.revoked')).toMatchObject({ lessee: 'slow', reason: 'deadline' });
    expect(server.owner.holder).toBe('next');
    expect(server.owner.status.state).toBe('leased');
  });

  it('a lease released while others wait goes to the first of them; the machine passes through contended and handover', async () => {
    const { server } = testServer();
    const states: string[] = [];
    const a = server.nvmFor('a');
    await a.lock.acquire();
    states.push(server.owner.status.state);
    const b = server.nvmFor('b');
    const granted = b.lock.acquire();
    states.push(server.owner.status.state);
    await a.lock.release();
    expect(await granted).toBe(WhError.OK);
    states.push(server.owner.status.state);
    await b.lock.release();
    states.push(server.owner.status.state);
    expect(states).toEqual(['leased', 'contended', 'leased', 'serving']);
  });

  it('when the only waiter goes away the lease is uncontended again: no deadline runs for a holder nobody waits for', async () => {
    const { server } = testServer({ leaseTimeoutMs: 100 });
    const notices = noticesOf(server);
    const holder = server.nvmFor('holder');
    await holder.lock.acquire();
    const waiter = server.nvmFor('waiter');
    const pending = waiter.getAvailable();
    expect(server.owner.status).toMatchObject({ state: 'contended', waiting: 1 });
    waiter.close();
    expect((await pending).rc).toBe(WhError.ABORTED);
    expect(server.owner.status).toMatchObject({ state: 'leased', waiting: 0 });
    await new Promise((r) => setTimeout(r, 200)); // past the deadline
    expect(notices.filter((n) => n.type === 'lease.revoked')).toEqual([]);
    expect((await holder.getAvailable()).rc).toBe(0);
    expect(await holder.lock.release()).toBe(WhError.OK);
  });

  it('a handler body that throws inside withLease still releases the lease', async () => {
    const handlers = {
      ...DEFAULT_HANDLERS,
      [Group.CUSTOM]: (ctx: HandlerContext) =>
        withLease(
          ctx,
          async () => {
            throw new Error('custom code bug');
          },
          () => EMPTY,
        ),
    };
    const { server, connect } = testServer({ handlers });
    const { client } = connect();
    await client.request(kind(Group.CUSTOM, 0));
    expect(server.owner.holder).toBe(null);
    expect(await server.nvmFor('after').lock.acquire()).toBe(WhError.OK);
  });

  it('stop answers every waiting op and pending acquire ABORTED (no caller hangs)', async () => {
    const { server } = testServer();
    const a = server.nvmFor('a');
    await a.lock.acquire();
    const b = server.nvmFor('b');
    const waiting = [b.lock.acquire(), b.getAvailable().then((r) => r.rc), server.nvmFor('c').read(1, 0, 1).then((r) => r.rc)];
    server.stop();
    expect(await Promise.all(waiting)).toEqual([WhError.ABORTED, WhError.ABORTED, WhError.ABORTED]);
    expect(await a.lock.release()).toBe(WhError.ABORTED);
  });
});

describe('nothing crosses the owner boundary by reference', () => {
  it('changing a returned metadata label or exported key changes nothing anyone else sees', async () => {
    const { server, connect } = testServer();
    const nvm = server.nvmFor('x');
    await nvm.addObject(makeMetadata({ id: 10, label: 'shared' }), new Uint8Array([1, 2, 3]));
    const m = await nvm.getMetadata(10);
    if (m.rc !== 0) throw new Error('no metadata');
    m.value.label.fill(0x41);
    const r = await nvm.read(10, 0, 3);
    if (r.rc === 0) r.value.fill(9);
    const again = await nvm.getMetadata(10);
    expect(again.rc === 0 && labelText(again.value.label)).toBe('shared');
    expect(await nvm.read(10, 0, 3)).toEqual({ rc: 0, value: new Uint8Array([1, 2, 3]) });
    const { client } = connect();
    expect(labelText((await client.nvmGetMetadata(10)).meta.label)).toBe('shared');
  });

  it('arguments enter as copies: changing the metadata or bytes after the call changes nothing stored', async () => {
    const { server } = testServer();
    const holder = server.nvmFor('holder');
    await holder.lock.acquire(); // x's add waits in the owner's queue while x changes its arguments
    const nvm = server.nvmFor('x');
    const m = makeMetadata({ id: 11, label: 'before' });
    const data = new Uint8Array([1, 2, 3]);
    const pending = nvm.addObject(m, data);
    m.label.fill(0x5a);
    data.fill(9);
    await holder.lock.release();
    expect(await pending).toBe(0);
    const got = await nvm.getMetadata(11);
    expect(got.rc === 0 && labelText(got.value.label)).toBe('before');
    expect(await nvm.read(11, 0, 3)).toEqual({ rc: 0, value: new Uint8Array([1, 2, 3]) });
    // On the direct lane too: what the store keeps is its own copy.
    const m2 = makeMetadata({ id: 12, label: 'direct' });
    expect(await nvm.addObject(m2, new Uint8Array([4]))).toBe(0);
    m2.label.fill(0x5a);
    const got2 = await nvm.getMetadata(12);
    expect(got2.rc === 0 && labelText(got2.value.label)).toBe('direct');
  });

  it('a closed session is forgotten by the owner (no per-connection growth)', async () => {
    const { server, connect } = testServer();
    const { client, session } = connect();
    await client.nvmGetAvailable();
    expect(server.owner.messagesOf(session.sessionId)).toBe(1);
    client.transport.close();
    await session.closed;
    await flush();
    expect(server.owner.messagesOf(session.sessionId)).toBe(0);
  });

  it('ops$ records are copies and name the local cache instead of carrying it', async () => {
    const { server, connect } = testServer();
    const records: OwnerOpRecord[] = [];
    server.owner.ops$.subscribe((r) => records.push(r));
    const { client } = connect();
    await client.commInit(1);
    await client.keyCache(5, new Uint8Array([4, 4]));
    const rec = records.find((r) => r.op.kind === 'key.cache')!;
    expect((rec.op.args as unknown as { local: unknown }).local).toBe('local cache');
    (rec.op.args as unknown as { data: Uint8Array }).data.fill(0);
    expect((await client.keyExport(5)).data).toEqual(new Uint8Array([4, 4]));
  });
});

describe('failures are contained and visible', () => {
  it('a throwing ops$ subscriber is counted and reported; other subscribers and clients go on', async () => {
    const { server, connect } = testServer();
    const seen: string[] = [];
    const notices = noticesOf(server);
    server.owner.ops$.subscribe(() => {
      throw new Error('bad telemetry');
    });
    server.owner.ops$.subscribe((r) => seen.push(r.op.kind));
    const { client } = connect();
    expect(await client.nvmAddObject(makeMetadata({ id: 3 }), new Uint8Array([1]))).toBe(0);
    await flush();
    expect(seen).toEqual(['nvm.addObjectChecked']);
    expect(server.owner.failures).toBe(1);
    expect(notices.map((n) => n.type)).toEqual(['subscriber.failed']);
  });
});

describe('CACHE_DMA never publishes a half-built key', () => {
  it('a client that disconnects mid-transfer leaves no key: another client never reads zero bytes', async () => {
    const { server } = testServer();
    const mem = new SimulatedClientMemory({ base: 0x1000n, size: 4096, latencyMs: 30 });
    mem.bytes.fill(0x5a, 0, 16);
    const one = server.connectMemory({ dma: mem });
    const c1 = new HsmClient(one.client);
    const c2 = new HsmClient(server.connectMemory().client);
    await c1.commInit(1);
    await c2.commInit(2);
    const GLOBAL5 = 0x100 | 5;
    void c1.keyCacheDma(GLOBAL5, 0x1000n, 16).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 10)); // the transfer is in flight
    one.session.end('test: client vanished');
    expect((await c2.keyExport(GLOBAL5)).rc).toBe(WhError.NOTFOUND);
    await new Promise((r) => setTimeout(r, 60)); // the dead session's transfer has finished by now
    expect((await c2.keyExport(GLOBAL5)).rc).toBe(WhError.NOTFOUND);
  });
});

describe('a throwing transport is contained to its session', () => {
  it('the session ends with an internal error, the failure is counted and reported, the process and other clients go on', async () => {
    const { server, connect } = testServer();
    const events: string[] = [];
    server.events$.subscribe((e) => events.push(e.type === 'failure' ? `failure:${e.where}` : e.type));
    const { Subject } = await import('rxjs');
    const packets = new Subject<Uint8Array>();
    const broken = server.attach({
      packets$: packets.asObservable(),
      send: () => {
        throw new Error('socket exploded');
      },
      close: () => undefined,
    });
    packets.next(new Uint8Array([0x02, 0xa5, 0x05, 0x01, 1, 0, 0, 0, 0xaa]));
    expect(await broken.closed).toMatch(/internal error: socket exploded/);
    expect(server.metrics().failures.session).toBe(1);
    expect(events).toContain('failure:session');
    const { client } = connect();
    expect(await client.echo(new Uint8Array([1]))).toEqual(new Uint8Array([1]));
  });
});

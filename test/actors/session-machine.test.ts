import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import type { SessionLaneKey } from '../../src/actors/session-lane.js';
import { sessionMachine, type SessionPorts } from '../../src/actors/session-machine.js';
import { DEFAULT_HANDLERS, type HandlerTable } from '../../src/handlers/dispatch.js';
import { EMPTY, reply, type HandlerContext } from '../../src/handlers/handler-types.js';
import { DEFAULT_KEY_FEATURES } from '../../src/keystore/key-id.js';
import type { ServerTransport } from '../../src/ports/transport/transport.js';
import { CommAction, Group, NvmAction, kind } from '../../src/protocol/groups.js';
import { encodePacket, requestHeader } from '../../src/protocol/header.js';
import { CommInitRequest } from '../../src/protocol/messages/comm.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import type { ServerConfig } from '../../src/server/server-config.js';
import { ramFlash, testServer } from '../helpers/server-fixture.js';

/** Flipped by one test: the session's lane table then says "direct" to everything. */
const mutation = vi.hoisted(() => ({ alwaysDirect: false }));
vi.mock('../../src/actors/session-lane.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/actors/session-lane.js')>();
  class MaybeAlwaysDirect extends Set<SessionLaneKey> {
    override has(key: SessionLaneKey): boolean {
      return mutation.alwaysDirect || super.has(key);
    }
  }
  return { ...real, deriveSessionLane: () => new MaybeAlwaysDirect(real.deriveSessionLane()) };
});

const flush = () => new Promise((r) => setTimeout(r, 0));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const comm = (action: number, seq: number, payload: Uint8Array = new Uint8Array(0)) => encodePacket(requestHeader(kind(Group.COMM, action), seq), payload);
const echo = (seq: number) => comm(CommAction.ECHO, seq, Uint8Array.of(seq));
const init = (seq: number, clientId: number) => comm(CommAction.INIT, seq, CommInitRequest.encode({ clientId }, true));
const close = (seq: number) => comm(CommAction.CLOSE, seq);
const getAvailable = (seq: number) => encodePacket(requestHeader(kind(Group.NVM, NvmAction.GETAVAILABLE), seq), new Uint8Array(0));
/** A CUSTOM request, answered only when the test opens its gate. */
const gated = (seq: number) => encodePacket(requestHeader(kind(Group.CUSTOM, 0), seq), Uint8Array.of(seq));

/** A transport the test drives packet by packet (lockstep is up to the test); it logs what the server does to it. */
function scriptedTransport(log: string[], name: string, opts: { sendThrowsAt?: number } = {}) {
  const packets = new Subject<Uint8Array>();
  let reason: string | undefined;
  let sends = 0;
  const transport: ServerTransport = {
    packets$: packets.asObservable(),
    send: (p) => {
      if (++sends === opts.sendThrowsAt) throw new Error('socket gone');
      log.push(`${name} answer ${hex(p)}`);
    },
    close: (why = 'closed by server') => {
      if (reason !== undefined) return;
      reason = why;
      log.push(`${name} transport closed: ${why}`);
      packets.complete();
    },
    get closeReason() {
      return reason;
    },
  };
  const hangUp = () => {
    reason ??= 'peer disconnected';
    packets.complete();
  };
  return { transport, deliver: (p: Uint8Array) => packets.next(p), hangUp };
}

/** A server whose CUSTOM requests wait for `release()`, logging who handles them as which client. */
function gatedServer(log: string[], opts: { directLane?: boolean; config?: Partial<ServerConfig>; inspect?: (e: InspectionEvent) => void } = {}) {
  const gates: (() => void)[] = [];
  const handlers: HandlerTable = {
    ...DEFAULT_HANDLERS,
    [Group.CUSTOM]: async (ctx, req) => {
      log.push(`${ctx.session.sessionId} handles custom ${req.payload[0]} as client ${ctx.session.clientId}`);
      await new Promise<void>((r) => gates.push(r));
      return reply(req.payload.slice());
    },
  };
  const server = createHsmServer({ flash: ramFlash(), handlers, ...opts });
  const release = async () => {
    gates.shift()?.();
    await flush();
  };
  return { server, release, gatesWaiting: () => gates.length };
}

describe('the session machine: phases in its own states and context', () => {
  for (const directLane of [true, false]) {
    describe(directLane ? 'direct lane on' : 'machine lane only', () => {
      it('anonymous until COMM INIT, then identified with its client id', async () => {
        const { server, connect } = testServer({ directLane });
        const { client, session } = connect();
        const view = () => {
          const { value, context } = session.actor.getSnapshot();
          return { value, clientId: context.clientId, inFlight: context.inFlight, closeReason: context.closeReason };
        };
        expect(view()).toEqual({ value: 'anonymous', clientId: 0, inFlight: 0, closeReason: null });
        expect(await client.echo(Uint8Array.of(1))).toEqual(Uint8Array.of(1));
        expect(view()).toEqual({ value: 'anonymous', clientId: 0, inFlight: 0, closeReason: null });
        await client.commInit(3);
        expect(view()).toEqual({ value: 'identified', clientId: 3, inFlight: 0, closeReason: null });
        await client.commInit(5); // a later INIT changes the id
        expect(view()).toEqual({ value: 'identified', clientId: 5, inFlight: 0, closeReason: null });
        server.stop();
        expect(await session.closed).toBe('server stopping');
        expect(view()).toEqual({ value: 'closed', clientId: 5, inFlight: 0, closeReason: 'server stopping' });
      });

      it('COMM INIT with client id 0 reaches identified when global keys are off, and is refused (anonymous) when they are on', async () => {
        const off = testServer({ directLane, config: { keyFeatures: { ...DEFAULT_KEY_FEATURES, globalKeys: false } } });
        const a = off.connect();
        expect(await a.client.commInit(0)).toEqual({ clientId: 0, serverId: expect.any(Number) });
        expect(a.session.actor.getSnapshot().value).toBe('identified');
        expect(a.session.actor.getSnapshot().context.clientId).toBe(0);
        off.server.stop();

        const on = testServer({ directLane });
        const b = on.connect();
        await expect(b.client.commInit(0)).rejects.toThrow(); // an empty answer: refused
        expect(b.session.actor.getSnapshot().value).toBe('anonymous');
        on.server.stop();
      });

      it('COMM CLOSE: identified → closing → closed, answered first, the lease revoked, reason COMM CLOSE', async () => {
        const steps: string[] = [];
        const inspect = (e: InspectionEvent) => {
          const snap = e.type === '@xstate.microstep' ? (e.snapshot as { value?: unknown; context?: { sessionId?: string } }) : null;
          if (snap?.context?.sessionId === 'session-1' && steps.at(-1) !== snap.value) steps.push(String(snap.value));
        };
        // The CUSTOM handler takes the session's lease and keeps it.
        const handlers = { ...DEFAULT_HANDLERS, [Group.CUSTOM]: async (ctx: HandlerContext) => (await ctx.owner.acquireLease(ctx.session.sessionId), EMPTY) };
        const { server, connect } = testServer({ directLane, inspect, handlers });
        const { client, session } = connect();
        await client.commInit(2);
        await client.request(kind(Group.CUSTOM, 0));
        expect(server.owner.holder).toBe('session-1');
        await client.close(); // resolves only if the CLOSE was answered
        expect(await session.closed).toBe('COMM CLOSE');
        expect(steps.slice(-3)).toEqual(['identified', 'closing', 'closed']);
        expect(session.actor.getSnapshot().context.closeReason).toBe('COMM CLOSE');
        expect(server.owner.holder).toBe(null);
        server.stop();
      });

      it('closing is visible while a request is in flight; that answer is dropped; a request arriving then is not served', async () => {
        const log: string[] = [];
        const { server, release, gatesWaiting } = gatedServer(log, { directLane });
        const t = scriptedTransport(log, 's');
        const session = server.attach(t.transport);
        t.deliver(init(1, 4));
        await flush();
        t.deliver(gated(2));
        await flush();
        expect(gatesWaiting()).toBe(1);
        session.end('server stopping');
        t.deliver(echo(3)); // too late: the session takes no more requests
        await flush();
        const snap = session.actor.getSnapshot();
        expect({ value: snap.value, inFlight: snap.context.inFlight, closeReason: snap.context.closeReason }).toEqual({
          value: 'closing',
          inFlight: 1,
          closeReason: 'server stopping',
        });
        await release();
        expect(session.actor.getSnapshot().value).toBe('closed');
        expect(await session.closed).toBe('server stopping');
        expect(log.filter((l) => l.startsWith('s answer'))).toHaveLength(1); // the INIT's only
        expect(log).toContain('s transport closed: server stopping');
        expect(log).not.toContain(`s answer ${hex(echo(3))}`);
        server.stop();
      });
    });
  }

  it('the machine itself: a request while closing is neither served nor counted; the answer in flight is not sent', () => {
    const calls: string[] = [];
    const ports: SessionPorts = {
      serve: (p) => calls.push(`serve ${p[0]}`),
      send: (r) => calls.push(`send ${r[0]}`),
      stopIntake: () => calls.push('stopIntake'),
      revokeLease: () => calls.push('revokeLease'),
      closeTransport: (why) => calls.push(`closeTransport ${why}`),
      announceClosed: (why) => calls.push(`announceClosed ${why}`),
      toJSON: () => 'test ports',
    };
    const actor = createActor(sessionMachine, { input: { sessionId: 't', ports } }).start();
    actor.send({ type: 'request', packet: Uint8Array.of(1) });
    expect(actor.getSnapshot().context.inFlight).toBe(1);
    actor.send({ type: 'end', reason: 'peer disconnected' });
    expect(actor.getSnapshot().value).toBe('closing');
    actor.send({ type: 'request', packet: Uint8Array.of(2) });
    actor.send({ type: 'end', reason: 'second reason' });
    expect(actor.getSnapshot().context).toMatchObject({ inFlight: 1, closeReason: 'peer disconnected' });
    actor.send({ type: 'request.answered', response: Uint8Array.of(9), clientId: null, closeRequested: false });
    expect(actor.getSnapshot().value).toBe('closed');
    expect(calls).toEqual(['serve 1', 'stopIntake', 'revokeLease', 'closeTransport peer disconnected', 'announceClosed peer disconnected']);
  });
});

/**
 * Every phase and every event kind, on one server: lockstep requests as client 0,
 * a refused or accepted INIT 0, INIT, re-INIT, a gated request, COMM CLOSE; a peer
 * gone mid-request; a bad frame; a transport whose send throws; requests handed
 * over all at once with a CLOSE among them; the server stopping mid-request.
 */
async function script(directLane: boolean, config?: Partial<ServerConfig>) {
  const log: string[] = [];
  const { server, release } = gatedServer(log, { directLane, ...(config ? { config } : {}) });
  server.owner.ops$.subscribe((r) => log.push(`op ${r.lessee} ${r.op.kind}`));
  server.events$.subscribe((e) => log.push(`event ${e.type} ${'sessionId' in e ? e.sessionId : ''} ${'reason' in e ? e.reason : ''}`));
  const finals: unknown[] = [];
  const open = (name: string, opts: { sendThrowsAt?: number } = {}) => {
    const t = scriptedTransport(log, name, opts);
    const session = server.attach(t.transport);
    let phase = String(session.actor.getSnapshot().value);
    log.push(`${name} phase ${phase}`);
    session.actor.subscribe((s) => {
      if (phase !== s.value) log.push(`${name} phase ${(phase = String(s.value))}`);
    });
    void session.closed.then((r) => log.push(`${name} closed: ${r}`));
    const step = async (p: Uint8Array) => {
      t.deliver(p);
      await flush();
    };
    /** The machine's view; `midFlight`: requests the direct lane started are not counted until the machine must hear of them. */
    const done = (midFlight = false) => {
      const { ports: _ports, inFlight, ...context } = session.actor.getSnapshot().context;
      finals.push([name, session.actor.getSnapshot().value, midFlight ? context : { ...context, inFlight }]);
    };
    return { ...t, session, step, done };
  };

  const a = open('a');
  await a.step(echo(1));
  await a.step(getAvailable(2));
  await a.step(init(3, 0));
  await a.step(init(4, 3));
  await a.step(echo(5));
  await a.step(init(6, 5));
  await a.step(gated(7));
  await release();
  await a.step(close(8));
  a.done();

  const b = open('b');
  await b.step(init(1, 2));
  await b.step(gated(2));
  b.hangUp();
  await flush();
  b.done();
  await release();
  b.done();

  const c = open('c');
  await c.step(echo(1));
  await c.step(Uint8Array.of(1, 2, 3));
  c.done();

  const d = open('d', { sendThrowsAt: 2 });
  await d.step(echo(1));
  await d.step(echo(2));
  d.done();

  const e = open('e');
  for (const p of [gated(1), echo(2), close(3), echo(4)]) e.deliver(p);
  await flush();
  e.done(true);
  await release();
  e.done();

  const g = open('g');
  await g.step(init(1, 6));
  await g.step(gated(2));
  const h = open('h');
  await h.step(echo(1));
  server.stop();
  await flush();
  g.done();
  await release();
  g.done();
  h.done();
  return { log, finals };
}

describe('the direct lane is derived from the session machine', () => {
  it('is exactly the plain round trip in anonymous and identified', async () => {
    const { deriveSessionLane } = await vi.importActual<typeof import('../../src/actors/session-lane.js')>('../../src/actors/session-lane.js');
    expect([...deriveSessionLane()].sort()).toEqual(['anonymous|plain', 'identified|plain']);
  });

  for (const [name, config] of [
    ['default config', undefined],
    ['global keys off', { keyFeatures: { ...DEFAULT_KEY_FEATURES, globalKeys: false } }],
  ] as const) {
    it(`both lanes give the same answers, phases, close reasons and owner order on every state and event (${name})`, async () => {
      const direct = await script(true, config);
      const machine = await script(false, config);
      expect(direct.log).toEqual(machine.log);
      expect(direct.finals).toEqual(machine.finals);
      // The script reached what it means to cover.
      for (const line of [
        'a phase identified',
        'a closed: COMM CLOSE',
        'b closed: peer disconnected',
        'c closed: packet shorter than the 8-byte header',
        'd closed: internal error: socket gone',
        'e closed: COMM CLOSE',
        'g closed: server stopping',
        'h closed: server stopping',
      ])
        expect(direct.log).toContain(line);
      expect(direct.finals).toContainEqual(['b', 'closing', expect.objectContaining({ inFlight: 1, closeReason: 'peer disconnected' })]);
      expect(direct.finals).toContainEqual(['a', 'closed', expect.objectContaining({ clientId: 5 })]);
      expect(direct.log).not.toContain(`e answer ${hex(echo(4))}`); // queued behind the CLOSE: dropped
      expect(direct.log).toContain(`e answer ${hex(echo(2))}`);
      expect(direct.log.indexOf('a phase identified')).toBeLessThan(direct.log.indexOf(`a answer ${hex(echo(5))}`)); // an echo answers its request's bytes
    });
  }

  it('a lane table replaced by "always direct" is caught: the lanes then disagree', async () => {
    mutation.alwaysDirect = true;
    try {
      const direct = await script(true);
      const machine = await script(false);
      expect(direct.log).not.toEqual(machine.log);
      expect(direct.log).not.toContain('a phase identified'); // INIT answered past the machine
      expect(direct.log).not.toContain('a closed: COMM CLOSE');
    } finally {
      mutation.alwaysDirect = false;
    }
  });
});

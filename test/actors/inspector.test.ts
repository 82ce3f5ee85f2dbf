import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { testServer } from '../helpers/server-fixture.js';

interface Message {
  type: string;
  sessionId?: string;
  event?: { type?: string };
  snapshot?: { value?: unknown };
  definition?: string;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A loopback WebSocket endpoint standing in for the Stately inspector UI. */
async function loopbackReceiver(): Promise<{ url: string; messages: Message[]; until(pred: (m: Message) => boolean): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  cleanups.push(() => wss.close());
  const messages: Message[] = [];
  const waiters: { pred: (m: Message) => boolean; done: () => void }[] = [];
  wss.on('connection', (socket) =>
    socket.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as Message;
      messages.push(m);
      for (const w of [...waiters]) if (w.pred(m)) waiters.splice(waiters.indexOf(w), 1), w.done();
    }),
  );
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    messages,
    until: (pred) =>
      messages.some(pred)
        ? Promise.resolve()
        : new Promise<void>((done, fail) => {
            const timer = setTimeout(() => fail(new Error('inspection message never arrived')), 5000);
            waiters.push({ pred, done: () => (clearTimeout(timer), done()) });
          }),
  };
}

describe('live inspection with @statelyai/inspect', () => {
  it('a WebSocket inspector on loopback sees both machines, every owner op and the lease states', async () => {
    const receiver = await loopbackReceiver();
    const inspector = createWebSocketInspector({ url: receiver.url });
    cleanups.push(() => inspector.stop());
    const { server, connect } = testServer({ inspect: inspector.inspect });
    cleanups.push(() => server.stop());

    const { client } = connect();
    await client.commInit(3);
    expect(await client.nvmAddObject(makeMetadata({ id: 9 }), new Uint8Array([1, 2, 3]))).toBe(0);
    expect((await client.nvmRead(9, 0, 3)).rc).toBe(0);
    const custom = server.nvmFor('custom-code');
    expect(await custom.lock.acquire()).toBe(0);
    expect(await custom.lock.release()).toBe(0);

    await receiver.until((m) => m.type === '@xstate.event' && m.event?.type === 'lease.release');
    const { messages } = receiver;
    const definitions = messages.filter((m) => m.type === '@xstate.actor').map((m) => JSON.parse(m.definition ?? '{}') as { id?: string });
    expect(definitions.map((d) => d.id)).toEqual(expect.arrayContaining(['nvmOwner', 'clientSession']));
    // With an inspector attached there is no direct lane: each request is a visible `request` and `op` event.
    expect(messages.filter((m) => m.type === '@xstate.event' && m.event?.type === 'op')).toHaveLength(2);
    expect(messages.filter((m) => m.type === '@xstate.event' && m.event?.type === 'request')).toHaveLength(3);
    expect(messages.some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === 'leased')).toBe(true);
    expect(messages.some((m) => m.type === '@xstate.snapshot' && m.snapshot?.value === 'identified')).toBe(true);
  });

  it('with the direct lane forced on, plain ops bypass the machine yet give the same answers', async () => {
    const seen: string[] = [];
    const inspect = (e: { type: string; event?: { type: string } }) => {
      if (e.type === '@xstate.event' && e.event) seen.push(e.event.type);
    };
    for (const directLane of [true, false]) {
      seen.length = 0;
      const { server, connect } = testServer({ inspect, directLane });
      const { client } = connect();
      expect(await client.nvmAddObject(makeMetadata({ id: 4 }), new Uint8Array([7]))).toBe(0);
      expect(await client.nvmRead(4, 0, 1)).toEqual({ rc: 0, data: new Uint8Array([7]) });
      expect(seen.filter((t) => t === 'op')).toHaveLength(directLane ? 0 : 2);
      expect(server.owner.messagesOf('session-1')).toBe(2);
      server.stop();
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { closedWithin, rawSocket, tcpServer } from '../helpers/tcp-fixture.js';
import { echoFrame, eventually, sleep } from './wire-helpers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function started(...args: Parameters<typeof tcpServer>) {
  const t = await tcpServer(...args);
  stops.push(t.stop);
  return t;
}

const closedLine = (lines: string[], what: RegExp) => lines.find((l) => l.startsWith('closed ') && what.test(l));

describe('idle timeout', () => {
  it('a connection that sends nothing is closed by its deadline, and the freed slot serves a new client', async () => {
    const t = await started({}, { maxClients: 1, idleTimeoutMs: 150 });
    const silent = await t.client();
    await silent.commInit(1);
    const answeredAt = Date.now();
    const s = await rawSocket(t.listener.port); // over the cap while the silent one holds the slot
    expect(await closedWithin(s, 2000)).toBe(true);
    await eventually(() => closedLine(t.lines, /idle timeout/), 5000, 'the idle close');
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(100);
    await expect(silent.echo(Uint8Array.from([1]))).rejects.toThrow();
    // The slot is free once the listener has let go of the connection (the close line may come first).
    await eventually(() => (t.listener.connections === 0 ? true : undefined), 5000, 'the freed slot');
    const next = await t.client();
    expect(await next.commInit(2)).toMatchObject({ clientId: 2 });
  });

  it('counts from the last answer: a client with a request every 50 ms stays connected well past the timeout', async () => {
    const t = await started({}, { idleTimeoutMs: 400 });
    const c = await t.client();
    await c.commInit(1);
    for (let i = 0; i < 16; i++) {
      await sleep(50);
      expect(await c.echo(Uint8Array.from([i]))).toEqual(Uint8Array.from([i]));
    }
    expect(t.lines.some((l) => /idle timeout/.test(l))).toBe(false);
  });

  it('does not run while a request is being served: an answer that takes longer than the timeout still arrives', async () => {
    const t = await started({}, { idleTimeoutMs: 100 });
    const c = await t.client();
    await c.commInit(1);
    const custom = t.server.nvmFor('custom');
    expect(await custom.lock.acquire()).toBe(0);
    const add = c.nvmAddObject(makeMetadata({ id: 7 }), Uint8Array.from([7]));
    await sleep(400); // the add waits at the owner, four idle timeouts long
    expect(await custom.lock.release()).toBe(0);
    expect(await add).toBe(0);
    expect(t.lines.some((l) => /idle timeout/.test(l))).toBe(false);
  });

  it('0 means never', async () => {
    const t = await started({}, { idleTimeoutMs: 0, partialFrameTimeoutMs: 0 });
    const c = await t.client();
    await c.commInit(1);
    await sleep(300);
    expect(await c.echo(Uint8Array.from([9]))).toEqual(Uint8Array.from([9]));
  });
});

describe('partial-frame deadline', () => {
  it('counts from the first byte of the frame: one byte every 50 ms does not keep a frame open; the slot is freed', async () => {
    const t = await started({}, { maxClients: 1, partialFrameTimeoutMs: 200, idleTimeoutMs: 0 });
    const s = await rawSocket(t.listener.port);
    const frame = echoFrame(1, new Uint8Array(200));
    const firstByteAt = Date.now();
    let sent = 0;
    // A deadline re-armed per chunk would never fire: each byte comes well within 200 ms of the last.
    const drip = setInterval(() => s.writable && s.write(frame.subarray(sent, ++sent)), 50);
    try {
      expect(await closedWithin(s, 3000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(Date.now() - firstByteAt).toBeGreaterThanOrEqual(150);
    expect(sent).toBeLessThan(frame.length);
    await eventually(() => closedLine(t.lines, /partial frame deadline/), 5000, 'the partial-frame close');
    const next = await t.client();
    expect(await next.commInit(2)).toMatchObject({ clientId: 2 });
  });

  it('a frame that completes in time is served', async () => {
    const t = await started({}, { partialFrameTimeoutMs: 300 });
    const s = await rawSocket(t.listener.port);
    const got = new Promise<Buffer>((r) => s.once('data', r));
    const frame = echoFrame(3, Uint8Array.from([1, 2, 3]));
    s.write(frame.subarray(0, 5));
    await sleep(100);
    s.write(frame.subarray(5));
    expect((await got).subarray(12)).toEqual(Buffer.from([1, 2, 3]));
    s.destroy();
  });
});

describe('close reasons in the log', () => {
  it('bad frame, peer disconnected, COMM CLOSE and server stopping each say so', async () => {
    const t = await started();
    const bad = await rawSocket(t.listener.port);
    bad.write(Uint8Array.from([0, 0, 0, 0]));
    expect(await closedWithin(bad, 2000)).toBe(true);
    await eventually(() => closedLine(t.lines, /bad frame length 0/), 5000, 'the bad-frame close');

    const gone = await t.client();
    await gone.commInit(1);
    gone.transport.close();
    await eventually(() => closedLine(t.lines, /: peer disconnected$/), 5000, 'the disconnect');

    const polite = await t.client();
    await polite.commInit(2);
    await polite.close();
    await eventually(() => closedLine(t.lines, /: COMM CLOSE$/), 5000, 'the COMM CLOSE');

    const last = await t.client();
    await last.commInit(3);
    await t.listener.close();
    await eventually(() => closedLine(t.lines, /: server stopping$/), 5000, 'the shutdown close');
    expect(t.lines.filter((l) => l.startsWith('closed '))).toHaveLength(4);
  });
});

describe('over the client cap', () => {
  it('is refused at accept with a log line; the served client is unaffected', async () => {
    const t = await started({}, { maxClients: 1 });
    const a = await t.client();
    await a.commInit(1);
    const over = await rawSocket(t.listener.port);
    expect(await closedWithin(over, 2000)).toBe(true);
    expect(t.lines.some((l) => /^refused .*over the cap of 1 clients, closed at accept$/.test(l))).toBe(true);
    expect(await a.echo(Uint8Array.from([5]))).toEqual(Uint8Array.from([5]));
  });

  it('a storm of refusals is rate-limited: a few lines, then a count of the suppressed ones', async () => {
    const t = await started({}, { maxClients: 1, logRate: { burst: 3, perSecond: 0.01, summaryMs: 50 } });
    const a = await t.client();
    await a.commInit(1);
    for (let i = 0; i < 12; i++) expect(await closedWithin(await rawSocket(t.listener.port), 2000)).toBe(true);
    const suppressed = () =>
      t.lines.map((l) => /^(\d+) similar refused lines? suppressed$/.exec(l)).reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
    await eventually(() => (suppressed() === 9 ? true : undefined), 5000, 'the suppressed count');
    expect(t.lines.filter((l) => l.startsWith('refused '))).toHaveLength(3);
  });
});

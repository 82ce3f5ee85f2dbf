import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { encodeFrame } from '../../src/protocol/tcp-framing.js';
import { encodePacket, requestHeader } from '../../src/protocol/header.js';
import { closedWithin, rawSocket, tcpServer } from '../helpers/tcp-fixture.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function started(...args: Parameters<typeof tcpServer>) {
  const t = await tcpServer(...args);
  stops.push(t.stop);
  return t;
}

const be32 = (n: number) => Uint8Array.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);

describe('TCP: bad input closes that connection only (spec-wire 2.2, 13)', () => {
  it.each([
    ['a zero length', be32(0)],
    ['a length shorter than the header', Uint8Array.from([...be32(4), 1, 2, 3, 4])],
    ['a length above the MTU', be32(8 + 8192 + 1)],
    ['garbage bytes', Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x11])],
  ])('%s: that socket is closed, a well-behaved client keeps working, new clients can connect', async (_what, bytes) => {
    const t = await started();
    const good = await t.client();
    expect(await good.commInit(1)).toMatchObject({ clientId: 1 });
    const bad = await rawSocket(t.listener.port);
    bad.write(bytes);
    expect(await closedWithin(bad, 2000)).toBe(true);
    expect(await good.echo(Uint8Array.from([1, 2, 3]))).toEqual(Uint8Array.from([1, 2, 3]));
    const late = await t.client();
    expect(await late.commInit(2)).toMatchObject({ clientId: 2 });
  });

  it('a truncated frame left hanging is closed after the partial-frame timeout', async () => {
    const t = await started({}, { partialFrameTimeoutMs: 100 });
    const s = await rawSocket(t.listener.port);
    s.write(Uint8Array.from([...be32(12), 1, 0xa5, 1]));
    expect(await closedWithin(s, 2000)).toBe(true);
    expect(t.lines.some((l) => l.includes('partial frame'))).toBe(true);
  });

  it('the largest legal frame (8 + 8192 bytes) is served', async () => {
    const t = await started();
    const c = await t.client();
    const big = new Uint8Array(8192).map((_, i) => i & 0xff);
    expect(await c.echo(big)).toEqual(big);
  });

  it('a client vanishing mid-request (queued behind a lease) is dropped cleanly; the others keep being served', async () => {
    const t = await started();
    const vanishing = await t.client();
    await vanishing.commInit(3);
    const nvm = t.server.nvmFor('custom');
    expect(await nvm.lock.acquire()).toBe(0);
    const pending = vanishing.nvmAddObject(makeMetadata({ id: 9 }), Uint8Array.from([1])).catch((e: Error) => e.name);
    await new Promise((r) => setTimeout(r, 20)); // the request is deferred in the owner's mailbox
    vanishing.transport.close();
    expect(await pending).toBe('TransportClosedError');
    await new Promise((r) => setTimeout(r, 20));
    expect(await nvm.lock.release()).toBe(0);
    const other = await t.client();
    await other.commInit(4);
    // The dead client's deferred add was dropped, never executed on its behalf.
    expect((await other.nvmGetMetadata(9)).rc).toBe(-2104);
    expect(await other.nvmAddObject(makeMetadata({ id: 9 }), Uint8Array.from([2]))).toBe(0);
  });

  it('requests pipelined on one socket are answered in order, one response each', async () => {
    const t = await started();
    const s = await rawSocket(t.listener.port);
    const frames = [1, 2, 3].map((seq) => encodeFrame(encodePacket(requestHeader(0x0105, seq), Uint8Array.from([seq]))));
    const got: number[] = [];
    const done = new Promise<void>((resolve) =>
      s.on('data', (chunk: Buffer) => {
        for (let off = 0; off + 4 <= chunk.length; off += 4 + chunk.readUInt32BE(off)) got.push(chunk[off + 4 + 4]!);
        if (got.length >= 3) resolve();
      }),
    );
    s.write(Buffer.concat(frames));
    await done;
    expect(got).toEqual([1, 2, 3]);
    s.destroy();
  });

  it('more connections than --clients are refused at accept; the served ones are unaffected', async () => {
    const t = await started({}, { maxClients: 2 });
    const a = await t.client();
    const b = await t.client();
    await a.commInit(1);
    await b.commInit(2);
    const c = await rawSocket(t.listener.port);
    expect(await closedWithin(c, 2000)).toBe(true);
    expect(await a.echo(Uint8Array.from([7]))).toEqual(Uint8Array.from([7]));
  });
});

describe('TCP fuzz: random, truncated and mutated frames over real sockets', () => {
  it('the server stays up and a well-behaved client sees no error', async () => {
    const t = await started({}, { partialFrameTimeoutMs: 50 });
    const good = await t.client();
    await good.commInit(1);
    await good.nvmAddObject(makeMetadata({ id: 1 }), Uint8Array.from([1, 2, 3]));
    const validFrame = fc
      .record({ kind: fc.integer({ min: 0, max: 0xffff }), seq: fc.integer({ min: 0, max: 0xffff }), payload: fc.uint8Array({ maxLength: 64 }) })
      .map(({ kind, seq, payload }) => encodeFrame(encodePacket(requestHeader(kind, seq), payload)));
    const mutated = fc.tuple(validFrame, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([f, at, v]) => {
      const out = f.slice();
      out[at % out.length] = v;
      return out;
    });
    const truncated = fc.tuple(validFrame, fc.nat()).map(([f, n]) => f.subarray(0, n % f.length));
    const stream = fc.array(fc.oneof(validFrame, mutated, truncated, fc.uint8Array({ minLength: 1, maxLength: 40 })), { minLength: 1, maxLength: 12 });
    let sockets = 0;
    let frames = 0;
    await fc.assert(
      fc.asyncProperty(stream, async (chunks) => {
        const s = await rawSocket(t.listener.port);
        sockets++;
        frames += chunks.length;
        s.on('data', () => {}); // drain answers
        for (const c of chunks) s.write(c);
        await new Promise((r) => setTimeout(r, 2));
        s.destroy();
        // The well-behaved client is never disturbed.
        expect(await good.nvmRead(1, 0, 3)).toEqual({ rc: 0, data: Uint8Array.from([1, 2, 3]) });
      }),
      { numRuns: 400 },
    );
    expect(sockets).toBe(400);
    expect(frames).toBeGreaterThan(1000);
    expect(await good.echo(Uint8Array.from([42]))).toEqual(Uint8Array.from([42]));
    // Every fuzz connection has been cleaned up (sessions ended, nothing leaked).
    await new Promise((r) => setTimeout(r, 100));
    expect(t.server.activeSessions).toBe(1);
  });
});

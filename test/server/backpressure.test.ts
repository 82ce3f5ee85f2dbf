import { afterEach, describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { createServer, type Server, type Socket } from 'node:net';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { FRAME_PREFIX } from '../../src/protocol/tcp-framing.js';
import { HEADER_SIZE } from '../../src/protocol/header.js';
import { tcpServerTransport, type TcpServerTransport } from '../../src/ports/transport/tcp-server-transport.js';
import { rawSocket, tcpServer } from '../helpers/tcp-fixture.js';
import { answerSeqs, echoFrame, eventually, requestPacket, sleep } from './wire-helpers.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function started(...args: Parameters<typeof tcpServer>) {
  const t = await tcpServer(...args);
  stops.push(t.stop);
  return t;
}

const MTU = HEADER_SIZE + 8192;
const LARGEST_FRAME = FRAME_PREFIX + MTU;
/** Node reads at most this much from a socket in one go: the decoder may exceed its bound by one read. */
const ONE_READ = 64 * 1024;

describe('backpressure: a client that pipelines and never reads', () => {
  it('is no longer read once its answers back up; its held bytes stay bounded; another client keeps being served', async () => {
    const t = await started();
    const other = await t.client();
    await other.commInit(2);

    const flood = await rawSocket(t.listener.port);
    flood.pause(); // never reads an answer
    const payload = new Uint8Array(1024).fill(0x5a);
    const frames = 40_000; // ~41 MB of requests, far more than the kernel's socket buffers
    let written = 0;
    for (let seq = 0; seq < frames; seq++) {
      const f = echoFrame(seq & 0xffff, payload);
      written += f.length;
      flood.write(f);
    }

    // Meanwhile the well-behaved client's requests complete.
    for (let i = 0; i < 50; i++) expect(await other.echo(Uint8Array.from([i]))).toEqual(Uint8Array.from([i]));

    // The server stops reading: its socket is paused, and what it has read stops growing.
    const flowOf = () => t.listener.connectionFlows().find((f) => f.peer.endsWith(`:${flood.localPort}`));
    const stalled = await eventually(
      () => {
        const f = flowOf();
        return f && f.readPaused && f.writeBlocked ? f : undefined;
      },
      20_000,
      'the flooding connection to be paused',
    );
    await sleep(300);
    const later = flowOf()!;
    expect(later.bytesRead).toBe(stalled.bytesRead);
    expect(later.requests).toBe(stalled.requests);
    expect(later.readPaused).toBe(true);
    expect(later.pauses).toBeGreaterThanOrEqual(1);
    // The client still has most of its requests unsent: the server left them in the client's kernel and process.
    expect(later.bytesRead).toBeLessThan(written / 2);
    expect(flood.writableLength).toBeGreaterThan(1_000_000);
    // Undecoded bytes held for it: the bound (two largest frames) plus at most one socket read.
    expect(later.peakBufferedBytes).toBeLessThanOrEqual(2 * LARGEST_FRAME + ONE_READ);
    expect(later.serving).toBe(false);
    // Decoded but unanswered requests: never more than the one being served.
    expect(later.peakUnanswered).toBe(1);

    // And the other client is still served while the flood sits there.
    for (let i = 0; i < 20; i++) expect(await other.echo(Uint8Array.from([i, 1]))).toEqual(Uint8Array.from([i, 1]));
    flood.destroy();
    await eventually(() => (t.listener.connections === 1 ? true : undefined), 5000, 'the flood connection to be closed');
    expect(t.lines.some((l) => /closed .*: peer disconnected/.test(l))).toBe(true);
  });

  it('a pipelining client that does read gets every answer, in order, one per request', async () => {
    const t = await started();
    const s = await rawSocket(t.listener.port);
    const answers = answerSeqs(s);
    const n = 3000;
    for (let seq = 0; seq < n; seq++) s.write(echoFrame(seq, Uint8Array.from([seq & 0xff])));
    await answers.count(n);
    expect(answers.seqs).toEqual(Array.from({ length: n }, (_, i) => i));
    const [flow] = t.listener.connectionFlows();
    expect(flow!.requests).toBe(n);
    expect(flow!.peakUnanswered).toBe(1);
    expect(flow!.peakBufferedBytes).toBeLessThanOrEqual(2 * LARGEST_FRAME + ONE_READ);
    s.destroy();
  });
});

describe('lockstep: the TCP transport hands over the next request only after the answer', () => {
  let net: Server | null = null;
  afterEach(() => {
    net?.close();
    net = null;
  });

  /** A tcpServerTransport on a real socket pair, with nothing but the test behind it. */
  async function transportPair(): Promise<{ transport: TcpServerTransport; client: Socket }> {
    const accepted = new Promise<TcpServerTransport>((resolve) => {
      net = createServer((socket) => resolve(tcpServerTransport(socket, { mtu: MTU })));
    });
    await new Promise<void>((r) => net!.listen(0, '127.0.0.1', () => r()));
    const port = (net!.address() as { port: number }).port;
    const client = await rawSocket(port);
    const transport = await accepted;
    stops.push(() => void client.destroy());
    return { transport, client };
  }

  it('five pipelined requests come out one at a time, each after the previous answer was handed over', async () => {
    const { transport, client } = await transportPair();
    const events: string[] = [];
    const got = new Subject<number>();
    transport.packets$.subscribe((p) => {
      const seq = p[4]! | (p[5]! << 8);
      events.push(`request ${seq}`);
      got.next(seq);
    });
    const answers = answerSeqs(client);
    for (let seq = 1; seq <= 5; seq++) client.write(echoFrame(seq, Uint8Array.from([seq])));
    await eventually(() => (events.length > 0 ? true : undefined), 5000, 'the first request');
    for (let seq = 1; seq <= 5; seq++) {
      await sleep(50); // time for a transport that does not wait to hand over more
      expect(events.filter((e) => e.startsWith('request'))).toHaveLength(seq);
      expect(transport.flow.serving).toBe(true);
      events.push(`answer ${seq}`);
      transport.send(Uint8Array.from([1, 0xa5, 5, 1, seq, 0, 0, 0]));
      if (seq < 5) await eventually(() => (events.length === 2 * seq + 1 ? true : undefined), 5000, `request ${seq + 1}`);
    }
    await answers.count(5);
    expect(events).toEqual(['request 1', 'answer 1', 'request 2', 'answer 2', 'request 3', 'answer 3', 'request 4', 'answer 4', 'request 5', 'answer 5']);
    expect(answers.seqs).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('work of a client that has gone is dropped', () => {
  it('requests pipelined behind one waiting at the owner are never executed once the client disconnects', async () => {
    const calls = new Map<string, number>();
    const t = await started({
      interceptOwner: (port, sessionId) => ({
        call: (lessee, k, args) => {
          calls.set(sessionId, (calls.get(sessionId) ?? 0) + 1);
          return port.call(lessee, k, args);
        },
        acquireLease: (l) => port.acquireLease(l),
        releaseLease: (l) => port.releaseLease(l),
      }),
    });
    const custom = t.server.nvmFor('custom');
    expect(await custom.lock.acquire()).toBe(0); // every owner message waits behind this lease
    const before = t.server.owner.opsExecuted;

    const s = await rawSocket(t.listener.port);
    const adds = await Promise.all(
      Array.from({ length: 20 }, (_, i) => requestPacket((c) => c.nvmAddObject(makeMetadata({ id: 100 + i }), Uint8Array.from([i])))),
    );
    for (const p of adds) s.write(Buffer.concat([Buffer.from([0, 0, 0, p.length]), p]));
    const sessionId = await eventually(() => t.listener.connectionFlows().find((f) => f.serving)?.sessionId, 5000, 'the first add to reach the owner');
    s.destroy();
    await eventually(() => (t.listener.connections === 0 ? true : undefined), 5000, 'the connection to close');
    expect(await custom.lock.release()).toBe(0);
    await sleep(50);

    // Only the request already at the owner was ever sent there; the 19 queued behind it never ran.
    expect(calls.get(sessionId)).toBe(1);
    expect(t.server.owner.opsExecuted - before).toBeLessThanOrEqual(1);
    const other = await t.client();
    for (let i = 1; i < 20; i++) expect((await other.nvmGetMetadata(100 + i)).rc).toBe(-2104);
  });
});

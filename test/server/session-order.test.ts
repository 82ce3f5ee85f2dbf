import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { reply } from '../../src/handlers/handler-types.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, encodePacket, requestHeader } from '../../src/protocol/header.js';
import type { ServerTransport } from '../../src/ports/transport/transport.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import { ramFlash } from '../helpers/server-fixture.js';
import { eventually } from './wire-helpers.js';

/**
 * A transport that ignores the lockstep contract and hands every packet over at
 * once: the session alone must keep one client's requests in order, one at a time.
 */
function eagerTransport() {
  const packets = new Subject<Uint8Array>();
  const sent: Uint8Array[] = [];
  const transport: ServerTransport = { packets$: packets.asObservable(), send: (p) => void sent.push(p), close: () => packets.complete() };
  return { transport, packets, sent };
}

describe('session: one client is served strictly in order', () => {
  it('requests handed over all at once are handled one at a time, answered in order', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    // A slow COUNTER handler: earlier requests take longer, so any overlap would reorder the answers.
    const server = createHsmServer({
      flash: ramFlash(),
      handlers: {
        ...DEFAULT_HANDLERS,
        [Group.COUNTER]: async (_ctx, req) => {
          const n = req.payload[0]!;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          order.push(`start ${n}`);
          await new Promise((r) => setTimeout(r, 60 - 10 * n));
          order.push(`end ${n}`);
          inFlight--;
          return reply(Uint8Array.from([n]));
        },
      },
    });
    const { transport, packets, sent } = eagerTransport();
    server.attach(transport);
    for (let n = 1; n <= 5; n++) packets.next(encodePacket(requestHeader(kind(Group.COUNTER, 2), n), Uint8Array.from([n])));
    await eventually(() => (sent.length === 5 ? true : undefined), 5000, 'five answers');
    expect(sent.map((p) => decodePacket(p)!.header.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent.map((p) => decodePacket(p)!.payload[0])).toEqual([1, 2, 3, 4, 5]);
    expect(maxInFlight).toBe(1);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'start 4', 'end 4', 'start 5', 'end 5']);
    server.stop();
  });

  it('a session that ends drops the requests still queued behind the one being handled', async () => {
    const started: number[] = [];
    let finish: (() => void) | null = null;
    const server = createHsmServer({
      flash: ramFlash(),
      handlers: {
        ...DEFAULT_HANDLERS,
        [Group.COUNTER]: async (_ctx, req) => {
          started.push(req.payload[0]!);
          await new Promise<void>((r) => (finish = r));
          return reply(Uint8Array.from([req.payload[0]!]));
        },
      },
    });
    const { transport, packets, sent } = eagerTransport();
    const session = server.attach(transport);
    for (let n = 1; n <= 5; n++) packets.next(encodePacket(requestHeader(kind(Group.COUNTER, 2), n), Uint8Array.from([n])));
    await eventually(() => (started.length === 1 ? true : undefined), 5000, 'the first request to start');
    session.end('peer disconnected');
    finish!();
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toEqual([1]); // 2..5 never ran
    expect(sent).toHaveLength(0); // and the answer of the one in progress was dropped
    expect(await session.closed).toBe('peer disconnected');
    server.stop();
  });
});

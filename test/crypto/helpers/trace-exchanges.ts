import { fileURLToPath } from 'node:url';
import { decodePacket, type Packet } from '../../../src/protocol/header.js';
import type { HsmServer } from '../../../src/server/hsm-server.js';
import { readTrace } from '../../helpers/trace.js';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** One recorded exchange of the replay: the request, the recorded and our response (decoded). */
export interface Exchange {
  readonly line: number;
  readonly request: Packet;
  readonly recorded: Packet;
  readonly ours: Packet;
}

/**
 * Replays every connection of a golden trace against `server` in order (so keys,
 * NVM and id assignment evolve as in the recording) and hands each exchange whose
 * kind is in `kinds` to `check`. Returns how many were checked.
 */
export async function replayTrace(name: string, server: HsmServer, kinds: ReadonlySet<number>, check: (e: Exchange) => void): Promise<number> {
  const events = readTrace(fileURLToPath(new URL(`../../fixtures/traces/${name}`, import.meta.url)));
  let conn: ReturnType<typeof server.connectMemory>['client'] | null = null;
  let checked = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.t === 'connect') conn = server.connectMemory().client;
    else if (e.t === 'close') conn?.close();
    else if (e.dir === 'C->S') {
      const next = events[i + 1];
      if (!next || next.t !== 'frame' || next.dir !== 'S->C') throw new Error(`line ${e.line}: no recorded response`);
      const ours = decodePacket(await conn!.request(e.bytes))!;
      if (kinds.has(e.header.kind)) {
        check({ line: e.line, request: decodePacket(e.bytes)!, recorded: decodePacket(next.bytes)!, ours });
        checked++;
      }
      i++;
    }
  }
  return checked;
}

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Group, kind } from '../../src/protocol/groups.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { readTrace, type TraceEvent } from '../helpers/trace.js';
import { hashServer, hex } from './hash-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/traces/${name}`, import.meta.url));
const HASH = kind(Group.CRYPTO, WcAlgo.HASH);

type Frame = Extract<TraceEvent, { t: 'frame' }>;

/** Every HASH request of a trace with its recorded answer (all deterministic: no keys, no randomness). */
function hashExchanges(name: string): [Frame, Frame][] {
  const frames = readTrace(fixture(name)).filter((e): e is Frame => e.t === 'frame');
  const out: [Frame, Frame][] = [];
  frames.forEach((f, i) => {
    if (f.dir !== 'C->S' || f.header.kind !== HASH) return;
    const answer = frames[i + 1];
    if (!answer || answer.dir !== 'S->C' || answer.header.seq !== f.header.seq) throw new Error(`line ${f.line}: no recorded answer`);
    out.push([f, answer]);
  });
  return out;
}

describe.each([
  ['test-clientonly-crypto.trace', 344],
  ['test-clientonly-crypto-trimmed.trace', 0],
])('golden trace %s: HASH requests', (name, expectedCount) => {
  it('every HASH answer equals the recorded one byte for byte', async () => {
    const exchanges = hashExchanges(name);
    if (expectedCount) expect(exchanges.length).toBe(expectedCount);
    else expect(exchanges.length).toBeGreaterThan(0);
    const { raw } = hashServer().connect();
    const algoTypes = new Set<number>();
    for (const [request, answer] of exchanges) {
      algoTypes.add(request.bytes[8]!);
      const got = await raw.request(request.bytes);
      expect({ line: request.line, answer: hex(got) }).toEqual({ line: request.line, answer: hex(answer.bytes) });
    }
    if (expectedCount) expect([...algoTypes].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 10, 11, 12, 13]);
  });
});

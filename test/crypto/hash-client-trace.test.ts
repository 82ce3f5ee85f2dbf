import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { HsmHash, maxInlineInput, type HashAlgorithm } from '../../src/client/crypto/hash.js';
import { HASH_ALGORITHMS } from '../../src/crypto/hash/hash-variants.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket } from '../../src/protocol/header.js';
import { readTrace, type TraceEvent } from '../helpers/trace.js';
import { hashServer, hex } from './hash-fixture.js';

const HASH = kind(Group.CRYPTO, WcAlgo.HASH);
const NAME: Record<number, HashAlgorithm> = { 5: 'sha224', 6: 'sha256', 7: 'sha384', 8: 'sha512', 10: 'sha3-224', 11: 'sha3-256', 12: 'sha3-384', 13: 'sha3-512' };
type Frame = Extract<TraceEvent, { t: 'frame' }>;

/** Where each struct keeps isLastBlock, inSz, the state, and where the input starts. */
const layout = (algoType: number) =>
  algoType >= 10 ? { last: 12, inSz: 16, state: [20, 200], input: 220 } : algoType >= 7 ? { last: 88, inSz: 92, state: [20, 64], input: 96 } : { last: 52, inSz: 56, state: [20, 32], input: 60 };

interface Stream {
  readonly algorithm: HashAlgorithm;
  readonly payloads: Uint8Array[];
  readonly message: Uint8Array;
}

/** The C client's hash streams in the trace: from the initial state to the final request. */
function streams(): Stream[] {
  const path = fileURLToPath(new URL('../fixtures/traces/test-clientonly-crypto.trace', import.meta.url));
  const requests = readTrace(path).filter((e): e is Frame => e.t === 'frame' && e.dir === 'C->S' && e.header.kind === HASH);
  const out: Stream[] = [];
  let open: { algorithm: HashAlgorithm; payloads: Uint8Array[]; parts: Uint8Array[] } | null = null;
  for (const f of requests) {
    const p = decodePacket(f.bytes)!.payload;
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const algoType = view.getUint32(0, true);
    const at = layout(algoType);
    const algorithm = algoType === 8 ? 'sha512' : NAME[algoType]!;
    const state = p.subarray(at.state[0]!, at.state[0]! + at.state[1]!);
    if (!open && hex(state) === hex(HASH_ALGORITHMS[algorithm].initialState)) open = { algorithm, payloads: [], parts: [] };
    if (!open) continue;
    open.payloads.push(p);
    open.parts.push(p.subarray(at.input, at.input + view.getUint32(at.inSz, true)));
    if (view.getUint32(at.last, true) !== 0) {
      out.push({ algorithm: open.algorithm, payloads: open.payloads, message: Buffer.concat(open.parts) });
      open = null;
    }
  }
  return out;
}

describe('the TS client sends exactly the C client\'s HASH requests', () => {
  it('maximum inline input per request matches the C client (DATA_LEN 8192)', () => {
    const sizes = (['sha256', 'sha224', 'sha384', 'sha512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'] as const).map((a) => maxInlineInput(a));
    expect(sizes).toEqual([8128, 8128, 8064, 8064, 7920, 7888, 7904, 7920]);
  });

  it('every trace stream fed in one update gives the recorded request payloads byte for byte', async () => {
    const all = streams();
    // Streams the C test fed in one update: all but the last non-final request are full.
    const oneUpdate = all.filter((s) => s.payloads.slice(0, -2).every((p) => p.length - layout(p[0]!).input === maxInlineInput(s.algorithm)));
    expect(new Set(oneUpdate.map((s) => s.algorithm)).size).toBe(8);
    expect(oneUpdate.length).toBeGreaterThan(100);
    const { raw } = hashServer().connect();
    for (const s of oneUpdate) {
      const sent: string[] = [];
      const client = new HsmClient({
        request: (packet) => {
          sent.push(hex(decodePacket(packet)!.payload));
          return raw.request(packet);
        },
        close: () => undefined,
      });
      const h = new HsmHash(client, s.algorithm);
      expect(await h.update(s.message)).toBe(0);
      expect((await h.digest()).rc).toBe(0);
      expect(sent).toEqual(s.payloads.map(hex));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { expectPayload, replayTrace } from '../crypto/helpers/kdf-keywrap.js';
import { certServer } from './helpers/cert-server.js';

/** The trace's certificates are valid from May 2026 to 2031 (intermediates) and later: a fixed time inside. */
const TRACE_TIME = Date.parse('2027-01-01T00:00:00Z');

const CERT_KINDS = [0x0c01, 0x0c02, 0x0c03, 0x0c04, 0x0c05, 0x0c06, 0x0c26];
/** KEY EXPORT and EVICT of the leaf keys the trace's VERIFY requests cache. */
const LEAF_KEY_KINDS = [0x0302, 0x0301];

describe('replay of test-clientonly-crypto.trace: CERT exchanges', () => {
  it('every CERT answer byte for byte (pads zero), the cached leaf keys exported as recorded', async () => {
    const { server } = certServer({ cert: { now: () => TRACE_TIME } });
    const seen = new Map<number, number>();
    let leafExports = 0;
    const checked = await replayTrace('test-clientonly-crypto.trace', server, new Set([...CERT_KINDS, ...LEAF_KEY_KINDS]), (e) => {
      const k = e.request.header.kind;
      if (LEAF_KEY_KINDS.includes(k)) {
        // Only the exports of id 0xff right after the leaf-caching VERIFYs (label "cert_pubkey").
        if (k === 0x0302 && e.request.payload[0] === 0xff && Buffer.from(e.recorded.payload.subarray(8, 19)).toString() === 'cert_pubkey') {
          leafExports++;
          expectPayload(e, [[32, 36]]); // the export header's pad holds stale bytes in C
        }
        return;
      }
      seen.set(k, (seen.get(k) ?? 0) + 1);
      // Simple and VERIFY answers: rc (and key id) then pad bytes the C server leaves stale; READTRUSTED has none.
      const pad: [number, number][] = k === 0x0c04 ? [] : k === 0x0c05 || k === 0x0c06 ? [[6, 8]] : [[4, 8]];
      expectPayload(e, pad);
    });
    expect(Object.fromEntries([...seen].map(([k, n]) => [k.toString(16), n]))).toEqual({ c01: 2, c02: 6, c03: 6, c04: 2, c05: 8, c06: 11, c26: 2 });
    expect([...seen.values()].reduce((a, b) => a + b)).toBe(37);
    expect(leafExports).toBe(2);
    expect(checked).toBeGreaterThan(37);
  }, 120_000);
});

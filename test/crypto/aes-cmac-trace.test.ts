import { describe, expect, it } from 'vitest';
import { WcCipher } from '../../src/crypto/wolfcrypt.js';
import { aesCmacServer, hex, replayTrace, type Exchange } from './helpers/aes-cmac.js';

const CIPHER = 0x0402;
const CMAC = 0x0407;

/**
 * Pad bytes of each successful response (payload offsets): the C server answers in
 * the request's buffer and leaves the request's bytes there (spec-crypto 2.3); we
 * write zeros. Every other byte must be the recorded one.
 */
function padRanges(e: Exchange): [number, number][] {
  if (e.request.header.kind === CMAC) return [[58, 60]];
  const algoType = e.request.payload[0];
  if (algoType === WcCipher.AES_CTR) return [[20, 32]];
  if (algoType === WcCipher.AES_GCM) return [[20, 40]];
  return [[16, 28]]; // ECB, CBC
}

function expectRecorded(e: Exchange): void {
  const recorded = e.recorded.payload.slice();
  const ours = e.ours.payload;
  if (new DataView(recorded.buffer).getInt32(4, true) === 0) {
    for (const [from, to] of padRanges(e)) {
      expect({ line: e.line, pad: hex(ours.subarray(from, to)) }).toEqual({ line: e.line, pad: '00'.repeat(to - from) });
      recorded.fill(0, from, to);
    }
  }
  expect({ line: e.line, payload: hex(ours) }).toEqual({ line: e.line, payload: hex(recorded) });
}

describe('golden trace test-clientonly-crypto.trace: CIPHER and CMAC answered as the C server', () => {
  it('every CIPHER (action 2) and CMAC (action 7) request gets the recorded answer (pad bytes zero)', async () => {
    const { server } = aesCmacServer();
    const seen = { [CIPHER]: 0, [CMAC]: 0, ok: 0, failed: 0 };
    const n = await replayTrace('test-clientonly-crypto.trace', server, new Set([CIPHER, CMAC]), (e) => {
      expectRecorded(e);
      seen[e.request.header.kind as typeof CIPHER]++;
      if (e.recorded.payload.length > 12) seen.ok++;
      else seen.failed++;
    });
    // Every frame of both actions in the recording: 86 CIPHER and 70 CMAC exchanges.
    expect(n).toBe(156);
    expect(seen[CIPHER]).toBe(86);
    expect(seen[CMAC]).toBe(70);
    expect(seen.failed).toBeGreaterThan(10); // the usage refusals (-2009), the CTR left 17 (-2000), the GCM tag mismatch (-180)
    expect(seen.ok).toBeGreaterThan(100);
    await server.close();
  });
});

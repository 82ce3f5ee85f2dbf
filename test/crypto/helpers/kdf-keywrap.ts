import { expect } from 'vitest';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { RamFlash } from '../../../src/ports/flash/ram-flash.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import { testServer } from '../../helpers/server-fixture.js';

/** The server as it ships (KDF family, KEY wrap actions) on the example server's 1 MiB flash, jobs inline unless `engine`. */
export function kdfWrapServer(opts: Partial<HsmServerOptions> & { engine?: CryptoEngine } = {}) {
  return testServer({
    flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }),
    ...opts,
    cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS),
  });
}

import { hex, type Exchange } from './trace-exchanges.js';
export { hex, unhex, replayTrace, type Exchange } from './trace-exchanges.js';

/** Asserts our response payload equals the recorded one, except `pad` ranges (where the C server leaves stale bytes and we write zeros). */
export function expectPayload(e: Exchange, pad: readonly [number, number][] = []): void {
  const recorded = e.recorded.payload.slice();
  for (const [from, to] of pad) {
    if (to <= e.ours.payload.length) expect({ line: e.line, pad: hex(e.ours.payload.subarray(from, to)) }).toEqual({ line: e.line, pad: '00'.repeat(to - from) });
    recorded.fill(0, from, Math.min(to, recorded.length));
  }
  expect({ line: e.line, payload: hex(e.ours.payload) }).toEqual({ line: e.line, payload: hex(recorded) });
}

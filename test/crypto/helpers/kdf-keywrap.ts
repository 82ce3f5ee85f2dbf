import { expect } from 'vitest';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { kdfJobs } from '../../../src/crypto/kdf/jobs.js';
import { keywrapJobs } from '../../../src/crypto/keywrap/jobs.js';
import { WcAlgo } from '../../../src/crypto/wolfcrypt.js';
import { cryptoHandler } from '../../../src/handlers/crypto/crypto-handler.js';
import { kdfFamily } from '../../../src/handlers/crypto/families/kdf.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../../../src/handlers/crypto/families/index.js';
import { DEFAULT_HANDLERS } from '../../../src/handlers/dispatch.js';
import type { GroupHandler } from '../../../src/handlers/handler-types.js';
import { handleKey } from '../../../src/handlers/key.js';
import { handleKeyWrap } from '../../../src/handlers/key-wrap.js';
import { RamFlash } from '../../../src/ports/flash/ram-flash.js';
import { Group } from '../../../src/protocol/groups.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import { testServer } from '../../helpers/server-fixture.js';

/** The KEY group as the lead will wire it: the wrap actions first, every other action as today. */
export function keyWithWrap(engine: CryptoEngine): GroupHandler {
  return async (ctx, req) => (await handleKeyWrap(ctx, req, engine)) ?? handleKey(ctx, req);
}

/** A server with the KDF family and the wrap actions registered (the example server's 1 MiB flash). */
export function kdfWrapServer(opts: Partial<HsmServerOptions> & { engine?: CryptoEngine } = {}) {
  const engine = opts.engine ?? new InlineEngine({ ...CRYPTO_JOBS, ...kdfJobs, ...keywrapJobs });
  return testServer({
    flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }),
    ...opts,
    cryptoEngine: engine,
    handlers: {
      ...DEFAULT_HANDLERS,
      [Group.KEY]: keyWithWrap(engine),
      [Group.CRYPTO]: cryptoHandler({ engine, families: { ...DEFAULT_CRYPTO_FAMILIES, [WcAlgo.KDF]: kdfFamily } }),
    },
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

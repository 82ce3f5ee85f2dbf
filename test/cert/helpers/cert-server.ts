import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { HsmClient } from '../../../src/client/hsm-client.js';
import { certHandler, type CertHandlerOptions } from '../../../src/handlers/cert/cert-handler.js';
import { DEFAULT_HANDLERS, type HandlerTable } from '../../../src/handlers/dispatch.js';
import { SimulatedClientMemory } from '../../../src/ports/dma/client-memory.js';
import { RamFlash } from '../../../src/ports/flash/ram-flash.js';
import { Group } from '../../../src/protocol/groups.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import { testServer } from '../../helpers/server-fixture.js';

/** Every crypto job inline (the CERT jobs are part of CRYPTO_JOBS). */
export const certEngine = () => new InlineEngine(CRYPTO_JOBS);

export const DMA_BASE = 0x4000_0000n;

/**
 * A server serving CERT with the example server's 1 MiB flash, `cert` options for the
 * group (a pinned clock), and `handlers` over the defaults (a deliberately split
 * handler). `connect` can hand the client a simulated memory for the DMA variants.
 */
export function certServer(o: { cert?: CertHandlerOptions; handlers?: HandlerTable; server?: Partial<HsmServerOptions>; engine?: CryptoEngine } = {}) {
  const engine = o.engine ?? certEngine();
  const t = testServer({
    flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }),
    cryptoEngine: engine,
    ...o.server,
    handlers: { ...DEFAULT_HANDLERS, [Group.CERT]: certHandler(engine, o.cert), ...o.handlers },
  });
  const connectDma = (size = 16384) => {
    const mem = new SimulatedClientMemory({ base: DMA_BASE, size, latencyMs: 0 });
    const { client, session } = t.server.connectMemory({ dma: mem });
    return { client: new HsmClient(client), session, mem };
  };
  return { ...t, engine, connectDma };
}

import { HsmClient } from '../../src/client/hsm-client.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { createHsmServer, type HsmServerOptions } from '../../src/server/hsm-server.js';

export function ramFlash(partitionSize = 16384, image?: Uint8Array): RamFlash {
  return new RamFlash({ size: partitionSize * 2, sectorSize: partitionSize, pageSize: 8, ...(image ? { initData: image } : {}) });
}

export function testServer(opts: Partial<HsmServerOptions> = {}) {
  const flash = (opts.flash as RamFlash | undefined) ?? ramFlash();
  const server = createHsmServer({ ...opts, flash });
  const connect = () => {
    const { client, session } = server.connectMemory();
    return { client: new HsmClient(client), session };
  };
  return { server, flash, connect };
}

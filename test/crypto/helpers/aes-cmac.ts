import { HsmClient } from '../../../src/client/hsm-client.js';
import { aesJobs } from '../../../src/crypto/aes/jobs.js';
import { cmacJobs } from '../../../src/crypto/cmac/jobs.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import type { CryptoJobTable } from '../../../src/crypto/job-table.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { RamFlash } from '../../../src/ports/flash/ram-flash.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import type { HandlerContext } from '../../../src/handlers/handler-types.js';
import { testServer } from '../../helpers/server-fixture.js';

/** For a PoolEngine's `jobsModule` (the worker test loads the AES and CMAC jobs from here on top of CRYPTO_JOBS). */
export const jobs: CryptoJobTable = { ...aesJobs, ...cmacJobs };

/** The server as it ships (CIPHER and CMAC families included) on the example server's 1 MiB flash, jobs inline unless `engine`. */
export function aesCmacServer(opts: Partial<HsmServerOptions> & { engine?: CryptoEngine } = {}) {
  return testServer({
    flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }),
    ...opts,
    cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS),
  });
}

/** A connected client of a fresh AES/CMAC server. */
export function aesCmacClient(opts: Parameters<typeof aesCmacServer>[0] = {}): { client: HsmClient; server: ReturnType<typeof aesCmacServer>['server'] } {
  const { server, connect } = aesCmacServer(opts);
  return { client: connect().client, server };
}

/** One owner message a handler sent: its kind and, for key reads, the usage asked for. */
export interface OwnerCall {
  readonly kind: string;
  readonly usage?: number;
}

/** A server whose owner messages are recorded (to count the key reads a request makes). */
export function recordingServer() {
  const calls: OwnerCall[] = [];
  const { server, connect } = aesCmacServer({
    interceptOwner: (port) =>
      ({
        ...port,
        call: (lessee, k, args) => {
          const usage = (args as { usage?: number }).usage;
          calls.push(usage === undefined ? { kind: k } : { kind: k, usage });
          return port.call(lessee, k, args);
        },
      }) as HandlerContext['owner'],
  });
  return { server, client: connect().client, calls };
}

export { hex, unhex, replayTrace, type Exchange } from './trace-exchanges.js';

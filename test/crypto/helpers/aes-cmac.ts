import { fileURLToPath } from 'node:url';
import { HsmClient } from '../../../src/client/hsm-client.js';
import { aesJobs } from '../../../src/crypto/aes/jobs.js';
import { cmacJobs } from '../../../src/crypto/cmac/jobs.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import type { CryptoJobTable } from '../../../src/crypto/job-table.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { WcAlgo } from '../../../src/crypto/wolfcrypt.js';
import { cryptoHandler } from '../../../src/handlers/crypto/crypto-handler.js';
import { aesFamily } from '../../../src/handlers/crypto/families/aes.js';
import { cmacFamily } from '../../../src/handlers/crypto/families/cmac.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../../../src/handlers/crypto/families/index.js';
import { DEFAULT_HANDLERS } from '../../../src/handlers/dispatch.js';
import { RamFlash } from '../../../src/ports/flash/ram-flash.js';
import { Group } from '../../../src/protocol/groups.js';
import { decodePacket, type Packet } from '../../../src/protocol/header.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import type { HandlerContext } from '../../../src/handlers/handler-types.js';
import { readTrace } from '../../helpers/trace.js';
import { testServer } from '../../helpers/server-fixture.js';

/** For a PoolEngine's `jobsModule`: the AES and CMAC jobs, as the lead will add them to CRYPTO_JOBS. */
export const jobs: CryptoJobTable = { ...aesJobs, ...cmacJobs };

/** A server with the CIPHER and CMAC families registered (the example server's 1 MiB flash). */
export function aesCmacServer(opts: Partial<HsmServerOptions> & { engine?: CryptoEngine } = {}) {
  const engine = opts.engine ?? new InlineEngine({ ...CRYPTO_JOBS, ...jobs });
  return testServer({
    flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }),
    ...opts,
    cryptoEngine: engine,
    handlers: {
      ...DEFAULT_HANDLERS,
      [Group.CRYPTO]: cryptoHandler({ engine, families: { ...DEFAULT_CRYPTO_FAMILIES, [WcAlgo.CIPHER]: aesFamily, [WcAlgo.CMAC]: cmacFamily } }),
    },
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
 * Replays every connection of a golden trace in order (so keys, NVM and id
 * assignment evolve as in the recording) and hands each exchange whose kind is in
 * `kinds` to `check`. Returns how many were checked.
 */
export async function replayTrace(name: string, server: ReturnType<typeof aesCmacServer>['server'], kinds: ReadonlySet<number>, check: (e: Exchange) => void): Promise<number> {
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

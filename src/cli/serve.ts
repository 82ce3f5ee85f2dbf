import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { FileFlash } from '../ports/flash/file-flash.js';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { DEFAULT_TCP_HOST, DEFAULT_TCP_PORT } from '../ports/transport/tcp-transport.js';
import { createHsmServer } from '../server/hsm-server.js';
import { isLoopbackHost } from '../server/loopback.js';
import { DEFAULT_IDLE_TIMEOUT_MS, listenTcp } from '../server/tcp-listener.js';

/** The example server's flash: 1 MiB in two 512 KiB partitions (its GETAVAILABLE figures match). */
export const SERVE_PARTITION_SIZE = 512 * 1024;

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** A flash file path, or 'ram' for a volatile store. */
  readonly flash: string;
  readonly fresh: boolean;
  readonly maxClients: number;
  /** Seconds without a request before a connection is closed (0: never). */
  readonly idleTimeoutS: number;
}

export const SERVE_DEFAULTS: ServeOptions = {
  host: DEFAULT_TCP_HOST,
  port: DEFAULT_TCP_PORT,
  flash: 'actorhsm.flash',
  fresh: false,
  maxClients: 15,
  idleTimeoutS: DEFAULT_IDLE_TIMEOUT_MS / 1000,
};

/** setTimeout's limit (about 24 days), in whole seconds. */
const MAX_IDLE_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

export const SERVE_USAGE = `actorhsm serve [--port N] [--host ADDR] [--flash FILE|ram] [--fresh] [--clients MAX] [--idle-timeout SECONDS]

  --port     TCP port (default ${DEFAULT_TCP_PORT}, wolfHSM's; 0 picks a free one)
  --host     address to listen on (default ${DEFAULT_TCP_HOST}; anything else only when asked)
  --flash    flash file in the working directory (default ./actorhsm.flash), or "ram"
  --fresh    start from an erased store (the flash file is recreated)
  --clients  connections served at once (default 15); more are refused at accept
  --idle-timeout  close a connection after this many seconds without a request
             (default ${SERVE_DEFAULTS.idleTimeoutS}: clients keep their connection for life and may be quiet for
             long; lower it where clients are not trusted; 0 = never)`;

/** Parses serve flags; a string is an error message. */
export function parseServeFlags(args: string[]): ServeOptions | string {
  const o = { ...SERVE_DEFAULTS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    const num = (name: string, min: number, max: number) => {
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < min || n > max) throw new Error(`${name} needs an integer ${min}..${max}`);
      i++;
      return n;
    };
    try {
      if (a === '--port') o.port = num('--port', 0, 65535);
      else if (a === '--clients') o.maxClients = num('--clients', 1, 1024);
      else if (a === '--idle-timeout') o.idleTimeoutS = num('--idle-timeout', 0, MAX_IDLE_TIMEOUT_S);
      else if (a === '--host' && v) (o.host = v), i++;
      else if (a === '--flash' && v) (o.flash = v), i++;
      else if (a === '--fresh') o.fresh = true;
      else return `unknown argument ${a}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return o;
}

/** wolfHSM's TCP transport has no authentication and no encryption. */
export function nonLoopbackWarning(host: string): string {
  return `warning: --host ${host} is not a loopback address: anyone who can reach this port can use the HSM (no authentication, no encryption); expose it only on a trusted network`;
}

function openFlash(o: ServeOptions): { flash: FlashPort; close: () => void; where: string } | string {
  if (o.flash === 'ram') {
    return { flash: new RamFlash({ size: 2 * SERVE_PARTITION_SIZE, sectorSize: SERVE_PARTITION_SIZE, pageSize: 8 }), close: () => {}, where: 'RAM (not persistent)' };
  }
  const file = path.resolve(o.flash);
  if (o.fresh) fs.rmSync(file, { force: true });
  const opened = FileFlash.open({ path: file, partitionSize: SERVE_PARTITION_SIZE });
  if (opened.rc !== 0) return `cannot open flash ${file}: ${opened.message}`;
  return { flash: opened.flash, close: () => opened.flash.cleanup(), where: file };
}

/**
 * The main job: an HsmServer over TCP with a file-backed flash. Every write is on
 * disk (fdatasync) before its answer is sent, so a crash loses nothing that was
 * acknowledged; Ctrl-C stops accepting, ends every session and closes the file.
 */
export async function serve(o: ServeOptions, log: (line: string) => void): Promise<{ stop: () => Promise<void>; port: number }> {
  const f = openFlash(o);
  if (typeof f === 'string') throw new Error(f);
  const server = createHsmServer({ flash: f.flash });
  const listener = await listenTcp(server, { host: o.host, port: o.port, maxClients: o.maxClients, idleTimeoutMs: o.idleTimeoutS * 1000, log });
  const idle = o.idleTimeoutS > 0 ? `idle timeout ${o.idleTimeoutS} s` : 'no idle timeout';
  log(`actorhsm listening on ${listener.host}:${listener.port} (flash: ${f.where}, up to ${o.maxClients} clients, ${idle})`);
  if (!isLoopbackHost(o.host)) log(nonLoopbackWarning(o.host));
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      log('shutting down');
      await listener.close();
      server.stop();
      f.close();
      log('stopped');
    })());
  return { stop, port: listener.port };
}

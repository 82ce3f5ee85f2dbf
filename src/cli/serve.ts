import { parseArgs } from 'node:util';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { openWriteBehindFile } from '../ports/flash/write-behind-file.js';
import { openFlashStore } from '../server/flash-store.js';
import { DEFAULT_TCP_HOST, DEFAULT_TCP_PORT } from '../ports/transport/tcp-transport.js';
import { createHsmServer } from '../server/hsm-server.js';
import { isLoopbackHost } from '../server/loopback.js';
import { RequestMetrics, listenMetrics, type MetricsListener } from '../server/metrics-http.js';
import type { InspectServer } from './inspect-server.js';
import { LOG_FORMATS, type LogFormat } from './logger.js';
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
  /** wolfHSM's per-object CRC16 on the flash store. */
  readonly crc: boolean;
  /** 'text' when absent: `ISO-time line`; 'json': pino JSON lines. */
  readonly logFormat?: LogFormat;
  /** Serve Prometheus metrics on 127.0.0.1 at this port (0 picks a free one); absent: no metrics. */
  readonly metricsPort?: number;
  /** Serve xstate inspection on 127.0.0.1 at this port (0 picks a free one); absent: no inspector. */
  readonly inspectPort?: number;
}

export const SERVE_DEFAULTS: ServeOptions = {
  host: DEFAULT_TCP_HOST,
  port: DEFAULT_TCP_PORT,
  flash: 'actorhsm.flash',
  fresh: false,
  maxClients: 15,
  idleTimeoutS: DEFAULT_IDLE_TIMEOUT_MS / 1000,
  crc: false,
};

/** `--inspect` without a port. */
export const DEFAULT_INSPECT_PORT = 8085;

/** setTimeout's limit (about 24 days), in whole seconds. */
const MAX_IDLE_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

export const SERVE_USAGE = `actorhsm serve [--port N] [--host ADDR] [--flash FILE|ram] [--fresh] [--clients MAX] [--idle-timeout SECONDS] [--crc on|off]
                     [--log-format text|json] [--metrics PORT] [--inspect [PORT]]

  --port     TCP port (default ${DEFAULT_TCP_PORT}, wolfHSM's; 0 picks a free one)
  --host     address to listen on (default ${DEFAULT_TCP_HOST}; anything else only when asked)
  --flash    flash file in the working directory (default ./actorhsm.flash), or "ram"
  --fresh    start from an erased store (the flash file is recreated; its data is lost)
  --crc      wolfHSM's per-object CRC16: a corrupted object answers an error instead of
             its bytes (default off, as wolfHSM's default build; a store is opened with
             the setting it was written with)
  --clients  connections served at once (default 15); more are refused at accept
  --idle-timeout  close a connection after this many seconds without a request
             (default ${SERVE_DEFAULTS.idleTimeoutS}: clients keep their connection for life and may be quiet for
             long; lower it where clients are not trusted; 0 = never)
  --log-format  text (default: one ISO-timestamped line per event) or json (pino JSON lines)
  --metrics  serve Prometheus metrics at http://127.0.0.1:PORT/metrics (loopback only;
             0 picks a free port; default off)
  --inspect  watch the actors live: serves Stately's inspector page and a WebSocket of
             xstate inspection events on 127.0.0.1:PORT (default ${DEFAULT_INSPECT_PORT}; 0 picks a
             free port; default off). Key bytes, payloads and flash contents appear only
             as their length. Requests then run through the machines (no direct lane): slower

Every flag can also be set by an environment variable: ACTORHSM_PORT, ACTORHSM_HOST,
ACTORHSM_FLASH, ACTORHSM_FRESH (1), ACTORHSM_CLIENTS, ACTORHSM_IDLE_TIMEOUT, ACTORHSM_CRC,
ACTORHSM_LOG_FORMAT, ACTORHSM_METRICS, ACTORHSM_INSPECT (PORT, or on); a flag on the command line wins.

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 could not start (flash refused or locked,
port taken), 2 bad arguments.`;

/** The serve flags as node:util parseArgs declares them (all strings: validated below). */
const SERVE_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  flash: { type: 'string' },
  fresh: { type: 'boolean' },
  clients: { type: 'string' },
  'idle-timeout': { type: 'string' },
  crc: { type: 'string' },
  'log-format': { type: 'string' },
  metrics: { type: 'string' },
  inspect: { type: 'string' },
} as const;

/** `--inspect` takes an optional port: alone (last, or before another flag) it means the default one. */
function withInspectDefault(args: string[]): string[] {
  return args.map((a, i) => (a === '--inspect' && (i === args.length - 1 || args[i + 1]!.startsWith('-')) ? `--inspect=${DEFAULT_INSPECT_PORT}` : a));
}

type FlagName = keyof typeof SERVE_FLAGS;

/** The environment variable of a flag: ACTORHSM_ and the name in capitals (ACTORHSM_IDLE_TIMEOUT). */
export const envName = (flag: string): string => `ACTORHSM_${flag.toUpperCase().replace(/-/g, '_')}`;

/**
 * Parses serve flags (node:util parseArgs); a flag not given falls back to its
 * ACTORHSM_* environment variable, then to the default. A string is an error message.
 */
export function parseServeFlags(args: string[], env: NodeJS.ProcessEnv = {}): ServeOptions | string {
  let values: Partial<Record<FlagName, string | boolean>>;
  try {
    values = parseArgs({ args: withInspectDefault(args), options: SERVE_FLAGS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    return (e as Error).message.replace(/^Unknown option '(.*?)'.*$/s, 'unknown argument $1');
  }
  const get = (f: FlagName): string | undefined => {
    const v = values[f];
    if (v !== undefined) return String(v);
    return env[envName(f)];
  };
  const num = (f: FlagName, min: number, max: number, fallback: number): number => {
    const v = get(f);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`--${f} needs an integer ${min}..${max}`);
    return n;
  };
  try {
    const crc = get('crc');
    if (crc !== undefined && crc !== 'on' && crc !== 'off') return '--crc needs on or off';
    const fresh = get('fresh');
    const logFormat = get('log-format');
    if (logFormat !== undefined && !(LOG_FORMATS as readonly string[]).includes(logFormat)) return '--log-format needs text or json';
    // Only present when given, so options from before these flags compare equal.
    const metricsPort = get('metrics') === undefined ? undefined : num('metrics', 0, 65535, 0);
    const inspect = get('inspect');
    const inspectPort = inspect === undefined ? undefined : inspect === 'on' ? DEFAULT_INSPECT_PORT : num('inspect', 0, 65535, 0);
    return {
      port: num('port', 0, 65535, SERVE_DEFAULTS.port),
      maxClients: num('clients', 1, 1024, SERVE_DEFAULTS.maxClients),
      idleTimeoutS: num('idle-timeout', 0, MAX_IDLE_TIMEOUT_S, SERVE_DEFAULTS.idleTimeoutS),
      host: get('host') || SERVE_DEFAULTS.host,
      flash: get('flash') || SERVE_DEFAULTS.flash,
      fresh: fresh === 'true' || fresh === '1' || fresh === 'yes',
      crc: crc === 'on',
      ...(logFormat !== undefined ? { logFormat: logFormat as LogFormat } : {}),
      ...(metricsPort !== undefined ? { metricsPort } : {}),
      ...(inspectPort !== undefined ? { inspectPort } : {}),
    };
  } catch (e) {
    return (e as Error).message;
  }
}

/** wolfHSM's TCP transport has no authentication and no encryption. */
export function nonLoopbackWarning(host: string): string {
  return `warning: --host ${host} is not a loopback address: anyone who can reach this port can use the HSM (no authentication, no encryption); expose it only on a trusted network`;
}

interface OpenedFlash {
  readonly flash: FlashPort;
  readonly close: () => Promise<void>;
  readonly where: string;
}

/**
 * The main job's flash: locked against a second server, created atomically,
 * checked to boot without formatting anything that holds data, then served
 * write-behind (syncs at the store's commit points, off the event loop).
 */
async function openFlash(o: ServeOptions, log: (line: string) => void): Promise<OpenedFlash | string> {
  if (o.flash === 'ram') {
    return { flash: new RamFlash({ size: 2 * SERVE_PARTITION_SIZE, sectorSize: SERVE_PARTITION_SIZE, pageSize: 8 }), close: async () => {}, where: 'RAM (not persistent)' };
  }
  const store = await openFlashStore({
    path: o.flash,
    partitionSize: SERVE_PARTITION_SIZE,
    fresh: o.fresh,
    crc: o.crc,
    openFlash: (file, partitionSize) => openWriteBehindFile({ path: file, partitionSize, onError: (e) => log(`flash: write failed, the store refuses writes from now on: ${e.message}`) }),
  });
  if (!store.ok) return store.error;
  for (const w of store.warnings) log(`flash: ${w}`);
  return { flash: store.flash, close: store.close, where: store.path };
}

/**
 * The main job: an HsmServer over TCP with a file-backed flash. Every write is on
 * disk (fdatasync at the store's commit points) before its answer is sent, so a
 * crash loses nothing that was acknowledged; Ctrl-C stops accepting, ends every
 * session, waits for pending writes and closes (and unlocks) the file.
 */
export async function serve(
  o: ServeOptions,
  log: (line: string) => void,
): Promise<{ stop: () => Promise<void>; port: number; metricsPort?: number; inspectPort?: number }> {
  const f = await openFlash(o, log);
  if (typeof f === 'string') throw new Error(f);
  let inspector: InspectServer | null = null;
  if (o.inspectPort !== undefined) {
    try {
      // Loaded only when asked: the inspector's libraries stay out of a plain server's start.
      const { startInspectServer } = await import('./inspect-server.js');
      inspector = await startInspectServer(o.inspectPort);
    } catch (e) {
      await f.close();
      throw new Error(`inspect: ${(e as Error).message}`);
    }
  }
  const requests = o.metricsPort !== undefined ? new RequestMetrics() : null;
  const server = createHsmServer({
    flash: f.flash,
    nvm: { crc: o.crc },
    ...(requests ? { onRequest: requests.observe } : {}),
    ...(inspector ? { inspect: inspector.inspect } : {}),
  });
  server.events$.subscribe((e) => {
    if (e.type === 'failure') log(`error: ${e.where}: ${e.message}`);
    else if (e.type === 'lease.revoked' && e.reason === 'deadline') log(`lease of ${e.lessee} revoked: held past its deadline`);
  });
  const listener = await listenTcp(server, { host: o.host, port: o.port, maxClients: o.maxClients, idleTimeoutMs: o.idleTimeoutS * 1000, log }).catch(async (e: unknown) => {
    // The inspector's open socket would keep the process alive after the error.
    await inspector?.close();
    throw e;
  });
  let metrics: MetricsListener | null = null;
  if (requests) {
    try {
      metrics = await listenMetrics(server, requests, { port: o.metricsPort! });
    } catch (e) {
      // Not started after all: release the port, the sessions and the flash lock before saying why.
      await listener.close();
      await server.close();
      await inspector?.close();
      await f.close();
      throw new Error(`metrics: ${(e as Error).message}`);
    }
  }
  const idle = o.idleTimeoutS > 0 ? `idle timeout ${o.idleTimeoutS} s` : 'no idle timeout';
  log(`actorhsm listening on ${listener.host}:${listener.port} (flash: ${f.where}, up to ${o.maxClients} clients, ${idle})`);
  if (metrics) log(`metrics on http://${metrics.host}:${metrics.port}/metrics`);
  if (inspector) log(`inspector: open ${inspector.pageUrl} in a browser (Stately's inspector, fed from this server); raw events on ${inspector.wsUrl}`);
  if (!isLoopbackHost(o.host)) log(nonLoopbackWarning(o.host));
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      log('shutting down');
      await metrics?.close();
      await listener.close();
      await server.close();
      await inspector?.close();
      await f.close();
      log('stopped');
    })());
  return { stop, port: listener.port, ...(metrics ? { metricsPort: metrics.port } : {}), ...(inspector ? { inspectPort: inspector.port } : {}) };
}

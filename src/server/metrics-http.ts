import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actionOf, groupOf } from '../protocol/header.js';
import { Group } from '../protocol/groups.js';
import type { HsmServer } from './hsm-server.js';
import { isLoopbackHost } from './loopback.js';
import { Histogram, PROMETHEUS_CONTENT_TYPE, renderPrometheus, type Family, type HistogramSeries } from './prometheus.js';

/** Request latency buckets in seconds: 100 µs (an in-memory NVM read) up to 1 s (RSA key generation is slower still: +Inf). */
export const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;

const GROUP_NAMES = new Map<number, string>(Object.entries(Group).map(([name, value]) => [value, name.toLowerCase()]));
const groupName = (group: number): string => GROUP_NAMES.get(group) ?? `0x${group.toString(16).padStart(4, '0')}`;

/**
 * Counts requests per group and action and their handling time per group. Its
 * `observe` is HsmServerOptions.onRequest: a map lookup and a few additions per request.
 */
export class RequestMetrics {
  readonly #byKind = new Map<number, number>();
  readonly #latency = new Map<number, Histogram>();

  readonly observe = (kind: number, seconds: number): void => {
    this.#byKind.set(kind, (this.#byKind.get(kind) ?? 0) + 1);
    const group = groupOf(kind);
    let h = this.#latency.get(group);
    if (!h) this.#latency.set(group, (h = new Histogram(LATENCY_BUCKETS)));
    h.observe(seconds);
  };

  families(): Family[] {
    const kinds = [...this.#byKind].sort(([a], [b]) => a - b);
    const groups = [...this.#latency].sort(([a], [b]) => a - b);
    return [
      {
        name: 'actorhsm_requests_total',
        help: 'Requests handled, by message group and action.',
        type: 'counter',
        samples: kinds.map(([kind, value]) => ({ labels: { group: groupName(groupOf(kind)), action: String(actionOf(kind)) }, value })),
      },
      {
        name: 'actorhsm_request_duration_seconds',
        help: 'Time from decoding a request to its answer, by message group (queueing behind the same client excluded).',
        type: 'histogram',
        series: groups.map(([group, h]): HistogramSeries => ({ labels: { group: groupName(group) }, bounds: h.bounds, counts: h.counts, sum: h.sum })),
      },
    ];
  }
}

/** The server's own counters (HsmServer.metrics()) as metric families. */
export function serverFamilies(server: HsmServer): Family[] {
  const m = server.metrics();
  const { total: _total, ...failures } = m.failures;
  return [
    { name: 'actorhsm_connections', help: 'Sessions (connections) open now.', type: 'gauge', samples: [{ value: m.sessions.active }] },
    { name: 'actorhsm_connections_opened_total', help: 'Sessions opened.', type: 'counter', samples: [{ value: m.sessions.opened }] },
    { name: 'actorhsm_connections_closed_total', help: 'Sessions closed.', type: 'counter', samples: [{ value: m.sessions.closed }] },
    { name: 'actorhsm_owner_state', help: "The owner actor's state (1 for the current one).", type: 'gauge', samples: [{ labels: { state: m.owner.state }, value: 1 }] },
    { name: 'actorhsm_owner_queue_depth', help: 'Owner messages waiting for the lease holder to release.', type: 'gauge', samples: [{ value: m.owner.waiting }] },
    { name: 'actorhsm_owner_ops_total', help: 'Operations the owner executed.', type: 'counter', samples: [{ value: m.owner.opsExecuted }] },
    { name: 'actorhsm_owner_busy_seconds_total', help: 'Time the owner spent executing operations.', type: 'counter', samples: [{ value: m.owner.busySeconds }] },
    { name: 'actorhsm_lease_waits_total', help: 'Lease acquisitions by sessions (lock API, DMA transfers, compactions).', type: 'counter', samples: [{ value: m.leaseWaits.count }] },
    { name: 'actorhsm_lease_wait_seconds_total', help: 'Time sessions waited for leases, in total.', type: 'counter', samples: [{ value: m.leaseWaits.seconds }] },
    { name: 'actorhsm_leases_granted_total', help: 'NVM leases (lock API, DMA transfers) granted.', type: 'counter', samples: [{ value: m.owner.leasesGranted }] },
    {
      name: 'actorhsm_leases_revoked_total',
      help: 'Leases revoked, by reason (gone: holder disconnected; deadline: held too long; stop: server stopping).',
      type: 'counter',
      samples: Object.entries(m.leasesRevoked).map(([reason, value]) => ({ labels: { reason }, value })),
    },
    {
      name: 'actorhsm_errors_total',
      help: 'Contained failures (server bugs answered ABORTED or ending one session), by where they happened.',
      type: 'counter',
      samples: Object.entries(failures).map(([where, value]) => ({ labels: { where }, value })),
    },
  ];
}

export interface MetricsListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics in Prometheus text format on a loopback address only: the
 * figures reveal traffic patterns, and the HSM's port has no authentication either.
 */
export async function listenMetrics(server: HsmServer, requests: RequestMetrics, opts: { host?: string; port: number }): Promise<MetricsListener> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`metrics: ${host} is not a loopback address; metrics are served on loopback only`);
  server.measureOwnerBusyTime();
  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const body = renderPrometheus([...requests.families(), ...serverFamilies(server)]);
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

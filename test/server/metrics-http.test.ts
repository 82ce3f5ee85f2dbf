import { afterEach, describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { SERVE_DEFAULTS, parseServeFlags, serve } from '../../src/cli/serve.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import { LATENCY_BUCKETS, RequestMetrics, listenMetrics } from '../../src/server/metrics-http.js';
import { renderPrometheus } from '../../src/server/prometheus.js';
import { ramFlash } from '../helpers/server-fixture.js';

interface Scrape {
  readonly text: string;
  readonly help: Set<string>;
  readonly types: Map<string, string>;
  /** `name{labels}` → value, labels as printed. */
  readonly samples: Map<string, number>;
}

/** Parses exposition format 0.0.4 strictly enough that a malformed line fails the test. */
function parse(text: string): Scrape {
  const help = new Set<string>();
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.trimEnd().split('\n')) {
    const h = /^# HELP (\w+) .+$/.exec(line);
    const t = /^# TYPE (\w+) (counter|gauge|histogram)$/.exec(line);
    const s = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (h) help.add(h[1]!);
    else if (t) types.set(t[1]!, t[2]!);
    else if (s) {
      const v = s[2] === '+Inf' ? Infinity : Number(s[2]);
      expect(Number.isNaN(v), line).toBe(false);
      samples.set(s[1]!, v);
    } else expect.fail(`not exposition format: ${line}`);
  }
  return { text, help, types, samples };
}

async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parse(await res.text());
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('actorhsm serve --metrics: Prometheus text on loopback', () => {
  it('counts requests per group/action, with cumulative latency histograms and the server counters', async () => {
    const running = await serve({ ...SERVE_DEFAULTS, port: 0, flash: 'ram', metricsPort: 0 }, () => {});
    stops.push(running.stop);
    expect(running.metricsPort).toBeGreaterThan(0);
    const client = await HsmClient.connect({ port: running.port, clientId: 1 });
    await client.echo(new Uint8Array([1, 2, 3]));
    expect(await client.nvmAddObject(makeMetadata({ id: 7, label: 'm' }), new Uint8Array([9]))).toBe(0);
    expect((await client.nvmRead(7, 0, 1)).rc).toBe(0);

    const first = await scrape(running.metricsPort!);
    for (const name of ['actorhsm_requests_total', 'actorhsm_request_duration_seconds', 'actorhsm_connections', 'actorhsm_owner_queue_depth', 'actorhsm_owner_ops_total', 'actorhsm_errors_total', 'actorhsm_leases_revoked_total']) {
      expect(first.help.has(name), name).toBe(true);
      expect(first.types.has(name), name).toBe(true);
    }
    expect(first.types.get('actorhsm_request_duration_seconds')).toBe('histogram');
    expect(first.types.get('actorhsm_requests_total')).toBe('counter');
    // COMM INIT (1), ECHO (5); NVM ADDOBJECT (4), READ (8).
    expect(first.samples.get('actorhsm_requests_total{group="comm",action="1"}')).toBe(1);
    expect(first.samples.get('actorhsm_requests_total{group="comm",action="5"}')).toBe(1);
    expect(first.samples.get('actorhsm_requests_total{group="nvm",action="4"}')).toBe(1);
    expect(first.samples.get('actorhsm_requests_total{group="nvm",action="8"}')).toBe(1);
    expect(first.samples.get('actorhsm_connections')).toBe(1);
    expect(first.samples.get('actorhsm_owner_ops_total')).toBeGreaterThanOrEqual(2);
    expect(first.samples.get('actorhsm_errors_total{where="handler"}')).toBe(0);

    for (let i = 0; i < 5; i++) await client.nvmRead(7, 0, 1);
    await client.echo(new Uint8Array([4]));
    const second = await scrape(running.metricsPort!);
    expect(second.samples.get('actorhsm_requests_total{group="nvm",action="8"}')).toBe(6);
    expect(second.samples.get('actorhsm_requests_total{group="comm",action="5"}')).toBe(2);
    expect(second.samples.get('actorhsm_owner_ops_total')!).toBeGreaterThan(first.samples.get('actorhsm_owner_ops_total')!);

    for (const group of ['comm', 'nvm']) {
      const buckets = [...LATENCY_BUCKETS.map(String), '+Inf'].map((le) => second.samples.get(`actorhsm_request_duration_seconds_bucket{group="${group}",le="${le}"}`));
      expect(buckets.every((b) => b !== undefined), group).toBe(true);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!).toBeGreaterThanOrEqual(buckets[i - 1]!);
      const count = second.samples.get(`actorhsm_request_duration_seconds_count{group="${group}"}`);
      expect(buckets.at(-1)).toBe(count);
      expect(count).toBe(group === 'nvm' ? 7 : 3);
      expect(second.samples.get(`actorhsm_request_duration_seconds_sum{group="${group}"}`)!).toBeGreaterThan(0);
    }

    // A compaction takes a lease: lease waits and the owner's busy time go up.
    expect(second.samples.get('actorhsm_lease_waits_total')).toBe(0);
    expect(await client.nvmDestroyObjects([7])).toBe(0);
    const third = await scrape(running.metricsPort!);
    expect(third.samples.get('actorhsm_lease_waits_total')).toBe(1);
    expect(third.samples.get('actorhsm_lease_wait_seconds_total')!).toBeGreaterThanOrEqual(0);
    expect(third.samples.get('actorhsm_owner_busy_seconds_total')!).toBeGreaterThan(second.samples.get('actorhsm_owner_busy_seconds_total')!);
    expect(third.types.get('actorhsm_owner_busy_seconds_total')).toBe('counter');

    client.transport.close();
    expect((await fetch(`http://127.0.0.1:${running.metricsPort}/other`)).status).toBe(404);
  });

  it('refuses a non-loopback address; the flag and ACTORHSM_METRICS parse like the others', async () => {
    const server = createHsmServer({ flash: ramFlash(64 * 1024) });
    stops.push(() => server.close());
    await expect(listenMetrics(server, new RequestMetrics(), { host: '0.0.0.0', port: 0 })).rejects.toThrow(/not a loopback address/);
    // Busy time costs two clock reads per operation: measured only once metrics are served.
    await server.nvmFor('x').addObject(makeMetadata({ id: 3 }), new Uint8Array([1]));
    expect(server.metrics().owner.busySeconds).toBe(0);
    const ok = await listenMetrics(server, new RequestMetrics(), { host: '127.0.0.1', port: 0 });
    await server.nvmFor('x').addObject(makeMetadata({ id: 4 }), new Uint8Array([1]));
    expect(server.metrics().owner.busySeconds).toBeGreaterThan(0);
    await ok.close();
    expect(parseServeFlags([])).not.toHaveProperty('metricsPort');
    expect(parseServeFlags(['--metrics', '0'])).toMatchObject({ metricsPort: 0 });
    expect(parseServeFlags([], { ACTORHSM_METRICS: '9464' })).toMatchObject({ metricsPort: 9464 });
    expect(parseServeFlags(['--metrics', '9000'], { ACTORHSM_METRICS: '9464' })).toMatchObject({ metricsPort: 9000 });
    expect(parseServeFlags(['--metrics', 'x'])).toMatch(/--metrics needs an integer/);
  });

  it('a metrics port already taken: serve refuses to start and says why, before any listening line', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    stops.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    await expect(serve({ ...SERVE_DEFAULTS, port: 0, flash: 'ram', metricsPort: taken }, (l) => lines.push(l))).rejects.toThrow(/^metrics: .*EADDRINUSE/);
    expect(lines.some((l) => l.includes('listening on'))).toBe(false);
  });

  it('renders label values escaped and histogram buckets cumulative', () => {
    const text = renderPrometheus([
      { name: 'x_total', help: 'a\nb', type: 'counter', samples: [{ labels: { l: 'q"\\' }, value: 2 }] },
      { name: 'h', help: 'h', type: 'histogram', series: [{ labels: {}, bounds: [0.1, 1], counts: [1, 2, 3], sum: 9 }] },
    ]);
    expect(text).toContain('# HELP x_total a\\nb\n');
    expect(text).toContain('x_total{l="q\\"\\\\"} 2\n');
    expect(text).toContain('h_bucket{le="0.1"} 1\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 6\nh_sum 9\nh_count 6\n');
  });
});

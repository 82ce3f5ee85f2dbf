import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/cli/logger.js';
import { parseServeFlags } from '../../src/cli/serve.js';

/** A stream that keeps what was written, line by line. */
function sink(): { out: Writable; lines: () => string[] } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { out, lines: () => text.split('\n').filter((l) => l !== '') };
}

const ISO_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

describe('actorhsm serve logs', () => {
  it('text: one ISO-timestamped line per event, as before', () => {
    const { out, lines } = sink();
    const log = createLogger('text', out);
    log('actorhsm listening on 127.0.0.1:1');
    log('warning: --host 0.0.0.0 is not a loopback address');
    expect(lines()).toHaveLength(2);
    expect(lines()[0]).toMatch(ISO_LINE);
    expect(lines()[0]!.replace(ISO_LINE, '')).toBe('actorhsm listening on 127.0.0.1:1');
  });

  it('json: pino lines with msg, time and a level from the line', async () => {
    const { out, lines } = sink();
    const log = createLogger('json', out);
    log('actorhsm listening on 127.0.0.1:1');
    log('warning: not loopback');
    log('error: handler: boom');
    await new Promise((r) => setImmediate(r));
    const records = lines().map((l) => JSON.parse(l) as { msg: string; level: number; time: string });
    expect(records.map((r) => r.msg)).toEqual(['actorhsm listening on 127.0.0.1:1', 'warning: not loopback', 'error: handler: boom']);
    expect(records.map((r) => r.level)).toEqual([30, 40, 50]); // pino's info, warn, error
    expect(Number.isNaN(Date.parse(records[0]!.time))).toBe(false);
  });

  it('--log-format and ACTORHSM_LOG_FORMAT take text or json; the flag wins', () => {
    expect(parseServeFlags([])).not.toHaveProperty('logFormat');
    expect(parseServeFlags(['--log-format', 'json'])).toMatchObject({ logFormat: 'json' });
    expect(parseServeFlags([], { ACTORHSM_LOG_FORMAT: 'json' })).toMatchObject({ logFormat: 'json' });
    expect(parseServeFlags(['--log-format', 'text'], { ACTORHSM_LOG_FORMAT: 'json' })).toMatchObject({ logFormat: 'text' });
    expect(parseServeFlags(['--log-format', 'xml'])).toBe('--log-format needs text or json');
  });

  it.each([
    ['json', ['--log-format', 'json', '--metrics', '0'], {}],
    ['json', [], { ACTORHSM_LOG_FORMAT: 'json' }],
    ['text', [], {}],
  ] as const)('the real server logs %s (args %j, env %j) until SIGTERM stops it with exit 0', async (format, args, env) => {
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--flash', 'ram', '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const listening = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('listening on')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await Promise.race([listening, exited]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    if (format === 'json') {
      const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(msgs[0]).toMatch(/^actorhsm listening on 127\.0\.0\.1:\d+ \(flash: RAM/);
      expect(msgs.at(-1)).toBe('stopped');
      if ((args as readonly string[]).includes('--metrics')) expect(msgs).toContainEqual(expect.stringMatching(/^metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/));
    } else {
      expect(lines.every((l) => ISO_LINE.test(l))).toBe(true);
      expect(lines[0]!.replace(ISO_LINE, '')).toMatch(/^actorhsm listening on 127\.0\.0\.1:\d+/);
      expect(lines.at(-1)!.replace(ISO_LINE, '')).toBe('stopped');
    }
  }, 60_000);
});

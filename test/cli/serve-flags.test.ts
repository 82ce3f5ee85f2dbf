import { describe, expect, it } from 'vitest';
import { SERVE_DEFAULTS, SERVE_USAGE, parseServeFlags, serve } from '../../src/cli/serve.js';
import { isLoopbackHost } from '../../src/server/loopback.js';

describe('actorhsm serve: connection flags', () => {
  it('--idle-timeout takes seconds, 0 = never; the default is an hour', () => {
    expect(SERVE_DEFAULTS.idleTimeoutS).toBe(3600);
    expect(parseServeFlags([])).toMatchObject({ idleTimeoutS: 3600 });
    expect(parseServeFlags(['--idle-timeout', '30'])).toMatchObject({ idleTimeoutS: 30 });
    expect(parseServeFlags(['--idle-timeout', '0'])).toMatchObject({ idleTimeoutS: 0 });
    expect(parseServeFlags(['--idle-timeout', '-1'])).toMatch(/--idle-timeout/);
    expect(parseServeFlags(['--idle-timeout', '1.5'])).toMatch(/--idle-timeout/);
    expect(parseServeFlags(['--idle-timeout', 'soon'])).toMatch(/--idle-timeout/);
    expect(parseServeFlags(['--idle-timeout'])).toMatch(/--idle-timeout/);
    expect(parseServeFlags(['--idle-timeout', '99999999'])).toMatch(/--idle-timeout/);
    expect(SERVE_USAGE).toContain('--idle-timeout');
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '::ffff:10.0.0.1', 'hsm.example.com', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it.each([
    ['0.0.0.0', true],
    ['127.0.0.1', false],
  ])('listening on %s warns: %s', async (host, warns) => {
    const lines: string[] = [];
    const running = await serve({ ...SERVE_DEFAULTS, host, port: 0, flash: 'ram', idleTimeoutS: 5 }, (l) => lines.push(l));
    await running.stop();
    expect(lines.some((l) => /listening on .*idle timeout 5 s/.test(l))).toBe(true);
    const warning = lines.filter((l) => l.startsWith('warning:'));
    expect(warning).toHaveLength(warns ? 1 : 0);
    if (warns) expect(warning[0]).toMatch(/--host 0\.0\.0\.0 is not a loopback address/);
  });
});

describe('actorhsm serve: flags through node:util parseArgs, each also an ACTORHSM_* variable', () => {
  it('every flag has its environment variable; the command line wins; bad values in either are refused', () => {
    const env = { ACTORHSM_PORT: '4000', ACTORHSM_HOST: '::1', ACTORHSM_FLASH: 'ram', ACTORHSM_FRESH: '1', ACTORHSM_CLIENTS: '3', ACTORHSM_IDLE_TIMEOUT: '9', ACTORHSM_CRC: 'on' };
    expect(parseServeFlags([], env)).toEqual({ port: 4000, host: '::1', flash: 'ram', fresh: true, maxClients: 3, idleTimeoutS: 9, crc: true });
    expect(parseServeFlags(['--port', '5000', '--crc', 'off'], env)).toMatchObject({ port: 5000, crc: false, maxClients: 3 });
    expect(parseServeFlags([], { ACTORHSM_PORT: 'x' })).toMatch(/--port needs an integer/);
    expect(parseServeFlags([], { ACTORHSM_CRC: 'maybe' })).toBe('--crc needs on or off');
    expect(parseServeFlags([])).toEqual(SERVE_DEFAULTS);
    expect(SERVE_USAGE).toContain('ACTORHSM_IDLE_TIMEOUT');
  });

  it('unknown arguments and positionals are refused with a message', () => {
    expect(parseServeFlags(['--nope'])).toMatch(/--nope/);
    expect(parseServeFlags(['stray'])).toMatch(/stray/);
    expect(parseServeFlags(['--port'])).toMatch(/--port/);
  });
});

describe('actorhsm --version and --help', () => {
  it('print the package version and the usage, exit 0; a bad flag exits 2', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const run = (...a: string[]) => execFileSync(process.execPath, ['--import', 'tsx', main, ...a], { encoding: 'utf8' });
    expect(run('--version').trim()).toBe(`actorhsm ${pkg.version}`);
    expect(run('--help')).toContain('ACTORHSM_PORT');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', main, '--nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--nope');
  }, 60_000);
});

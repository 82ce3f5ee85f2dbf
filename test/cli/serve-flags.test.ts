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

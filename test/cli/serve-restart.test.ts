import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { connectTcp } from '../../src/ports/transport/tcp-transport.js';
import { parseServeFlags } from '../../src/cli/serve.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `actorhsm serve` in its own process; resolves with its port once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

/** Resolves with the exit code once the process has ended (also when it already has: killed by a signal, exitCode stays null). */
const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

describe('actorhsm serve', () => {
  it('parses its flags and refuses bad ones', () => {
    expect(parseServeFlags([])).toMatchObject({ host: '127.0.0.1', port: 23456, flash: 'actorhsm.flash', fresh: false, maxClients: 15 });
    expect(parseServeFlags(['--port', '9', '--host', '0.0.0.0', '--flash', 'ram', '--fresh', '--clients', '4'])).toEqual({ host: '0.0.0.0', port: 9, flash: 'ram', fresh: true, maxClients: 4, idleTimeoutS: 3600, crc: false });
    expect(parseServeFlags(['--crc', 'on'])).toMatchObject({ crc: true });
    expect(parseServeFlags(['--crc', 'maybe'])).toMatch(/--crc/);
    expect(parseServeFlags(['--port', 'x'])).toMatch(/--port/);
    expect(parseServeFlags(['--bogus'])).toMatch(/unknown/);
  });

  it('killed mid-workload and restarted on the same flash file, every acknowledged add, commit and increment is still there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-serve-'));
    const flash = path.join(dir, 'hsm.flash');
    try {
      const first = await startServer(['--flash', flash, '--fresh']);
      // Last acknowledged value per object id / key (NVM id) / client counter.
      const acked = { objects: new Map<number, number>(), keys: new Map<number, number>(), counters: new Map<number, number>() };
      const worker = async (clientId: number) => {
        const c = new HsmClient(await connectTcp({ port: first.port }));
        await c.commInit(clientId);
        try {
          for (let i = 0; ; i++) {
            const id = clientId * 100 + (i % 20);
            if ((await c.nvmAddObject(makeMetadata({ id }), Uint8Array.from([clientId, i & 0xff]))) === 0) acked.objects.set(id, i & 0xff);
            if (i === 0) await c.counterInit(1, 0);
            const inc = await c.counterIncrement(1);
            if (inc.rc === 0) acked.counters.set(clientId, inc.value);
            const key = 1 + (i % 50);
            if (i % 5 === 0 && (await c.keyCache(key, Uint8Array.from([clientId, i & 0xff]))).rc === 0 && (await c.keyCommit(key)) === 0) {
              acked.keys.set((1 << 12) | (clientId << 8) | key, i);
            }
          }
        } catch {
          // the server was killed under us
        }
      };
      const workers = [1, 2, 3].map(worker);
      await new Promise((r) => setTimeout(r, 700));
      first.child.kill('SIGKILL');
      await Promise.all(workers);
      await exited(first.child);
      expect(acked.objects.size).toBeGreaterThan(10);

      const second = await startServer(['--flash', flash]);
      const c = new HsmClient(await connectTcp({ port: second.port }));
      // A worker has at most one unacknowledged write in flight, which may or may not have landed.
      for (const [id, v] of acked.objects) {
        const r = await c.nvmRead(id, 0, 2);
        expect(r.rc).toBe(0);
        expect([v, (v + 20) & 0xff]).toContain(r.data[1]);
      }
      for (const [clientId, value] of acked.counters) {
        await c.commInit(clientId);
        expect((await c.counterRead(1)).value).toBeGreaterThanOrEqual(value);
      }
      for (const [nvmId, i] of acked.keys) {
        const m = await c.nvmRead(nvmId, 0, 2);
        expect(m.rc).toBe(0);
        expect([i & 0xff, (i + 50) & 0xff]).toContain(m.data[1]);
      }
      expect(acked.keys.size).toBeGreaterThan(0);
      second.child.kill('SIGINT');
      expect(await exited(second.child)).toBe(0);
      expect(second.output()).toContain('stopped');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

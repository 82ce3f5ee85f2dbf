import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFlashFileLock, pidFileLock, type FlashFileLock } from '../../src/ports/flash/flash-file-lock.js';

const CHILD = fileURLToPath(new URL('./lock-holder-child.ts', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];
const held: FlashFileLock[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-lock-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const l of held.splice(0)) await l.release();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function lockOk(p: string): Promise<FlashFileLock> {
  const l = await acquireFlashFileLock(p);
  if ('error' in l) throw new Error(l.error);
  held.push(l);
  return l;
}

/** Starts a process that holds the lock; resolves once it has it. */
function holder(p: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, p], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('locked')) resolve(child);
      if (out.includes('refused')) reject(new Error(out));
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}: ${out}`)));
  });
}

const gone = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('flash file lock', () => {
  it('a second acquire in the same process is refused until the first is released', async () => {
    const p = path.join(dir, 'a.flash');
    const first = await lockOk(p);
    const second = await acquireFlashFileLock(p);
    expect('error' in second && second.error).toMatch(/a\.flash is in use by another actorhsm server/);
    // the same file through another spelling of its path is the same lock
    const viaDots = await acquireFlashFileLock(path.join(dir, '.', '..', path.basename(dir), 'a.flash'));
    expect('error' in viaDots).toBe(true);
    // other files are independent
    await lockOk(path.join(dir, 'b.flash'));
    await first.release();
    await lockOk(p);
  });

  it('a lock held by another process refuses this one; the kernel frees it when that process is SIGKILLed', async () => {
    const p = path.join(dir, 'shared.flash');
    const child = await holder(p);
    const refused = await acquireFlashFileLock(p);
    expect('error' in refused && refused.error).toMatch(/in use by another actorhsm server/);
    child.kill('SIGKILL');
    await gone(child);
    await lockOk(p);
  });

  it('a missing directory gives a clear error', async () => {
    const r = await acquireFlashFileLock(path.join(dir, 'nope', 'x.flash'));
    expect('error' in r && r.error).toMatch(/directory .*nope is not accessible \(ENOENT\)/);
  });

  it('the pid-file fallback: refuses while held (also in this process), takes over a dead owner, removes its file on release', async () => {
    const file = path.join(dir, 'p.flash');
    const a = await pidFileLock(file);
    if ('error' in a) throw new Error(a.error);
    expect(fs.readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
    const b = await pidFileLock(file);
    expect('error' in b && b.error).toMatch(/in use by this process/);
    await a.release();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(`${file}.lock`, `${dead.stdout}\n`);
    const c = await pidFileLock(file);
    if ('error' in c) throw new Error(c.error);
    expect(fs.readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await c.release();
  });
});

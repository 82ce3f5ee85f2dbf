import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { FileFlash } from '../../src/ports/flash/file-flash.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { meta, text } from '../helpers/nvm-fixture.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-flash-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function openOk(p: string, partitionSize = 16384) {
  const r = FileFlash.open({ path: p, partitionSize });
  if (r.rc !== 0) throw new Error(r.message);
  return r.flash;
}

describe('FileFlash', () => {
  it('creates a fully erased file of two partitions', () => {
    const p = path.join(dir, 'a.flash');
    const f = openOk(p);
    expect(fs.statSync(p).size).toBe(32768);
    expect(f.blankCheck(0, 32768)).toBe(WhError.OK);
    expect(f.partitionSize()).toBe(16384);
    f.cleanup();
  });

  it('starts write-locked; unlock allows program and erase', () => {
    const f = openOk(path.join(dir, 'b.flash'));
    expect(f.program(0, new Uint8Array(8))).toBe(WhError.LOCKED);
    expect(f.erase(0, 8)).toBe(WhError.LOCKED);
    f.writeUnlock();
    expect(f.program(0, new Uint8Array(8).fill(1))).toBe(WhError.OK);
    expect(f.verify(0, new Uint8Array(8).fill(1))).toBe(WhError.OK);
    expect(f.verify(0, new Uint8Array(8).fill(2))).toBe(WhError.NOTVERIFIED);
    expect(f.erase(0, 8)).toBe(WhError.OK);
    expect(f.blankCheck(0, 8)).toBe(WhError.OK);
    expect(f.program(32768, new Uint8Array(8))).toBe(WhError.BADARGS);
    expect(f.program(0, new Uint8Array(0))).toBe(WhError.OK);
    f.cleanup();
    expect(f.program(0, new Uint8Array(8))).toBe(WhError.ABORTED);
  });

  it('gives clear errors for a missing, wrong-sized, unopenable file or a bad partition size', () => {
    const missing = FileFlash.open({ path: path.join(dir, 'none.flash'), partitionSize: 16384, create: false });
    expect(missing).toMatchObject({ rc: WhError.NOTFOUND });
    if (missing.rc !== 0) expect(missing.message).toMatch(/does not exist/);

    const short = path.join(dir, 'short.flash');
    fs.writeFileSync(short, Buffer.alloc(100));
    const s = FileFlash.open({ path: short, partitionSize: 16384 });
    expect(s).toMatchObject({ rc: WhError.BADARGS });
    if (s.rc !== 0) expect(s.message).toMatch(/is 100 bytes, expected 32768/);

    const asDir = FileFlash.open({ path: dir, partitionSize: 16384 });
    expect(asDir.rc).toBe(WhError.ABORTED);
    if (asDir.rc !== 0) expect(asDir.message).toMatch(/cannot open flash file/);

    expect(FileFlash.open({ path: path.join(dir, 'x'), partitionSize: 0x80000000 }).rc).toBe(WhError.BADARGS);
    expect(FileFlash.open({ path: path.join(dir, 'x'), partitionSize: 12 }).rc).toBe(WhError.BADARGS);
  });

  it('reports ACCESS for a file it may not write', () => {
    // sysfs refuses new files even to root, so this holds in CI containers too.
    const r = FileFlash.open({ path: '/sys/actorhsm.flash', partitionSize: 16384 });
    expect(r.rc).toBe(WhError.ACCESS);
    if (r.rc !== 0) expect(r.message).toMatch(/EACCES/);
  });

  it('runs the NVM functional sequence and keeps it across re-open', () => {
    const p = path.join(dir, 'nvm.flash');
    const nvm = new Nvm();
    expect(nvm.init(new NvmFlash(openOk(p)))).toBe(0);
    expect(nvm.addObject(meta(100, { label: 'Label1' }), text('Data1'))).toBe(0);
    expect(nvm.addObject(meta(100), text('Data1 replaced'))).toBe(0);
    expect(nvm.destroyObjects([])).toBe(0);
    expect(nvm.cleanup()).toBe(0);
    const again = new Nvm();
    expect(again.init(new NvmFlash(openOk(p)))).toBe(0);
    expect(again.read(100, 0, 14)).toEqual({ rc: 0, value: text('Data1 replaced') });
    again.cleanup();
  });

  it('survives a real process restart: written by one process, read by another', () => {
    const p = path.join(dir, 'proc.flash');
    const child = path.resolve('test/helpers/file-flash-child.ts');
    const run = (mode: string) => execFileSync(process.execPath, ['--import', 'tsx', child, p, mode], { encoding: 'utf8' });
    run('write');
    expect(JSON.parse(run('read'))).toEqual({ meta: 0, data: 'persisted across processes', gone: WhError.NOTFOUND });
  });
});

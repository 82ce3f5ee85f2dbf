import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { FileFlash, writeErasedFile } from '../../src/ports/flash/file-flash.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-create-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('FileFlash: atomic creation', () => {
  it('a new file appears complete and erased, and no temporary file is left beside it', () => {
    const p = path.join(dir, 'new.flash');
    const r = FileFlash.open({ path: p, partitionSize: 16384 });
    expect(r.rc).toBe(0);
    if (r.rc === 0) r.flash.cleanup();
    expect(fs.readFileSync(p).equals(Buffer.alloc(32768, 0xff))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['new.flash']);
  });

  it('a crash during creation (temporary file left by a dead process) leaves nothing that blocks the next open', () => {
    const p = path.join(dir, 'c.flash');
    const leftover = path.join(dir, `.c.flash.creating-${deadPid()}-deadbeef`);
    fs.writeFileSync(leftover, Buffer.alloc(1000, 0xff)); // half written when the power went
    const r = FileFlash.open({ path: p, partitionSize: 16384 });
    expect(r.rc).toBe(0);
    if (r.rc === 0) r.flash.cleanup();
    expect(fs.statSync(p).size).toBe(32768);
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it('a temporary file of a live process (a creation in progress) is left alone', () => {
    const p = path.join(dir, 'l.flash');
    const mine = path.join(dir, `.l.flash.creating-${process.pid}-cafe`);
    fs.writeFileSync(mine, 'x');
    const r = FileFlash.open({ path: p, partitionSize: 16384 });
    if (r.rc === 0) r.flash.cleanup();
    expect(fs.existsSync(mine)).toBe(true);
  });

  it('a 0-byte file (an older version crashed while creating it) holds no data: it is replaced by an erased store', () => {
    const p = path.join(dir, 'empty.flash');
    fs.writeFileSync(p, '');
    const r = FileFlash.open({ path: p, partitionSize: 16384 });
    expect(r.rc).toBe(0);
    if (r.rc === 0) {
      expect(r.flash.blankCheck(0, 32768)).toBe(WhError.OK);
      r.flash.cleanup();
    }
    expect(fs.statSync(p).size).toBe(32768);
    // without create, an empty file is as good as absent
    fs.writeFileSync(p, '');
    expect(FileFlash.open({ path: p, partitionSize: 16384, create: false }).rc).toBe(WhError.NOTFOUND);
  });

  it('a short file that holds bytes is refused, never extended', () => {
    const p = path.join(dir, 'short.flash');
    fs.writeFileSync(p, Buffer.alloc(5000, 0x42));
    const r = FileFlash.open({ path: p, partitionSize: 16384 });
    expect(r.rc).toBe(WhError.BADARGS);
    expect(fs.readFileSync(p).equals(Buffer.alloc(5000, 0x42))).toBe(true);
  });

  it('recreate replaces whatever was there by an erased file, in one rename', () => {
    const p = path.join(dir, 'r.flash');
    fs.writeFileSync(p, Buffer.alloc(100, 0x42));
    const r = FileFlash.open({ path: p, partitionSize: 16384, recreate: true, erasedByte: 0x00 });
    expect(r.rc).toBe(0);
    if (r.rc === 0) r.flash.cleanup();
    expect(fs.readFileSync(p).equals(Buffer.alloc(32768, 0))).toBe(true);
  });

  it('if-absent creation never replaces a file that appeared meanwhile', () => {
    const p = path.join(dir, 'race.flash');
    fs.writeFileSync(p, Buffer.alloc(64, 0x42));
    writeErasedFile(p, 64, 0xff, 'if-absent');
    expect(fs.readFileSync(p).equals(Buffer.alloc(64, 0x42))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['race.flash']);
  });

  it('a missing directory answers NOTFOUND with the path', () => {
    const r = FileFlash.open({ path: path.join(dir, 'no', 'x.flash'), partitionSize: 16384 });
    expect(r.rc).toBe(WhError.NOTFOUND);
    if (r.rc !== 0) expect(r.message).toMatch(/ENOENT/);
  });
});

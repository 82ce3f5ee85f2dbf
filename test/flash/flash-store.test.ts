import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { openFlashStore, type FlashStoreOpen } from '../../src/server/flash-store.js';
import { meta, text } from '../helpers/nvm-fixture.js';

const PART = 16384;
let dir: string;
const opened: Extract<FlashStoreOpen, { ok: true }>[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-store-'));
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(file: string, more: { fresh?: boolean; crc?: boolean } = {}) {
  const r = await openFlashStore({ path: file, partitionSize: PART, fresh: more.fresh ?? false, ...(more.crc !== undefined ? { crc: more.crc } : {}) });
  if (r.ok) opened.push(r);
  return r;
}

/** A flash image holding one object, written by a store with 30 entries (the server's). */
function imageWithObject(crc = false): Uint8Array {
  const ram = new RamFlash({ size: 2 * PART, sectorSize: PART, pageSize: 8 });
  const nvm = new Nvm();
  expect(nvm.init(new NvmFlash(ram, { objectCount: 30, crc }))).toBe(0);
  expect(nvm.addObject(meta(5, { label: 'kept' }), text('precious'))).toBe(0);
  return ram.snapshot();
}

describe('openFlashStore', () => {
  it('creates an absent file, then reopens it; the server store boots on it', async () => {
    const file = path.join(dir, 'hsm.flash');
    const r = await open(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.path).toBe(file);
    expect(r.warnings).toEqual([]);
    const nvm = new Nvm();
    expect(nvm.init(new NvmFlash(r.flash, { objectCount: 30 }))).toBe(0);
    expect(nvm.addObject(meta(1), text('stays'))).toBe(0);
    await r.close();
    opened.pop();
    const again = await open(file);
    expect(again.ok).toBe(true);
  });

  it('refuses a file another server holds, and says so; free again after close', async () => {
    const file = path.join(dir, 'hsm.flash');
    const first = await open(file);
    expect(first.ok).toBe(true);
    const second = await open(file, { fresh: true });
    expect(second).toEqual({ ok: false, error: expect.stringMatching(/in use by another actorhsm server/) });
    expect(fs.statSync(file).size).toBe(2 * PART); // --fresh never touches a file in use
    if (first.ok) await first.close();
    opened.splice(0);
    expect((await open(file)).ok).toBe(true);
  });

  it('a missing directory, a wrong size and a directory in place of the file each give one clear line', async () => {
    const missing = await open(path.join(dir, 'nope', 'hsm.flash'));
    expect(missing).toEqual({ ok: false, error: expect.stringMatching(/directory .*nope does not exist/) });

    const short = path.join(dir, 'short.flash');
    fs.writeFileSync(short, Buffer.alloc(1000, 1));
    const s = await open(short);
    expect(s).toEqual({ ok: false, error: expect.stringMatching(/is 1000 bytes, expected 32768.*--fresh/) });

    fs.mkdirSync(path.join(dir, 'adir.flash'));
    const d = await open(path.join(dir, 'adir.flash'));
    expect(d).toEqual({ ok: false, error: expect.stringMatching(/not a regular file/) });
    for (const r of [missing, s, d]) if (!r.ok) expect(r.error).not.toMatch(/\n/);
  });

  it('a damaged store is refused with the diagnosis and the --fresh hint, and left untouched; --fresh erases it', async () => {
    const file = path.join(dir, 'hsm.flash');
    const img = imageWithObject();
    img.fill(0, 0, 24); // zeroed partition state
    fs.writeFileSync(file, img);
    const r = await open(file);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/does not boot: .*partition 0 \(state record at byte offset 0\): epoch 0x0000000000000000/);
      expect(r.error).toMatch(/start with --fresh to erase it/);
    }
    expect(fs.readFileSync(file).equals(Buffer.from(img))).toBe(true);

    const fresh = await open(file, { fresh: true });
    expect(fresh.ok).toBe(true);
    expect(fs.readFileSync(file).equals(Buffer.alloc(2 * PART, 0xff))).toBe(true);
  });

  it('a recoverable store opens with its warnings and its data', async () => {
    const file = path.join(dir, 'hsm.flash');
    const img = imageWithObject();
    img[16 + 7] = 0x13; // partition 0 count word: magic damaged
    fs.writeFileSync(file, img);
    const r = await open(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.join()).toMatch(/count word at byte offset 16 reads 0x13345678/);
    const nvm = new Nvm();
    expect(nvm.init(new NvmFlash(r.flash, { objectCount: 30 }))).toBe(0);
    expect(nvm.read(5, 0, 8)).toEqual({ rc: 0, value: text('precious') });
  });

  it('a store written with the CRC option off is refused when opened with crc on, and says how to open it', async () => {
    const file = path.join(dir, 'hsm.flash');
    fs.writeFileSync(file, imageWithObject(false));
    const r = await open(file, { crc: true });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/CRC16 option off.*--crc off/) });
    expect((await open(file, { crc: false })).ok).toBe(true);
  });

  it('refuses a file it may not write (permissions)', async () => {
    if (process.getuid?.() === 0) {
      // root may write anything; sysfs still refuses to create files
      const r = await open('/sys/actorhsm.flash');
      expect(r).toEqual({ ok: false, error: expect.stringMatching(/EACCES|permissions/) });
      return;
    }
    const file = path.join(dir, 'ro.flash');
    fs.writeFileSync(file, Buffer.alloc(2 * PART, 0xff));
    fs.chmodSync(file, 0o400);
    const r = await open(file);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/not readable and writable.*permissions/) });
  });
});

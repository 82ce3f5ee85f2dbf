import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { WorkerPersister } from '../../src/ports/flash/worker-persister.js';
import { openWriteBehindFile } from '../../src/ports/flash/write-behind-file.js';
import { WriteBehindFlash } from '../../src/ports/flash/write-behind-flash.js';

const PART = 16384;
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-persist-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function erasedFile(): string {
  const p = path.join(dir, 'flash.bin');
  fs.writeFileSync(p, new Uint8Array(2 * PART).fill(0xff));
  return p;
}

/** What a reboot from the file's bytes shows: id → data as hex. */
function bootFile(p: string): Map<number, string> {
  const nvm = new Nvm();
  expect(nvm.init(new NvmFlash(new RamFlash({ size: 2 * PART, sectorSize: PART, pageSize: 8, initData: new Uint8Array(fs.readFileSync(p)) }), { objectCount: 16 }))).toBe(0);
  const out = new Map<number, string>();
  for (const id of [1, 2, 3, 4, 5]) {
    const m = nvm.getMetadata(id);
    if (m.rc === 0) out.set(id, Buffer.from((nvm.read(id, 0, m.value.len) as { value: Uint8Array }).value).toString('hex'));
  }
  return out;
}

describe('write-behind file persisted by a worker thread', () => {
  it('an acknowledged add, destroy and compaction is in the file; close flushes and closes', async () => {
    const p = erasedFile();
    const flash = await openWriteBehindFile({ path: p, partitionSize: PART });
    const nvm = new Nvm();
    expect(nvm.init(new NvmFlash(flash, { objectCount: 16 }))).toBe(0);
    expect(nvm.addObject(makeMetadata({ id: 1 }), new Uint8Array([1, 2, 3]))).toBe(0);
    expect(nvm.addObject(makeMetadata({ id: 2 }), new Uint8Array(100).fill(2))).toBe(0);
    expect(await flash.whenDurable(flash.writeSeq)).toBe(0);
    expect(bootFile(p)).toEqual(new Map([[1, '010203'], [2, '02'.repeat(100)]]));

    expect(nvm.destroyObjects([1])).toBe(0);
    expect(await flash.whenDurable(flash.writeSeq)).toBe(0);
    expect(bootFile(p)).toEqual(new Map([[2, '02'.repeat(100)]]));
    expect(flash.stats.syncs).toBeGreaterThan(0);

    // Not awaited: close must persist it first.
    expect(nvm.addObject(makeMetadata({ id: 3 }), new Uint8Array([3]))).toBe(0);
    expect(await flash.close()).toBe(0);
    expect(bootFile(p)).toEqual(new Map([[2, '02'.repeat(100)], [3, '03']]));
    expect(flash.program(0, new Uint8Array(8))).not.toBe(0);
  });

  it('a failed write is reported once, the store refuses writes, waiters get ABORTED', async () => {
    // /dev/full takes the open and refuses every write (ENOSPC).
    const image = new Uint8Array(2 * PART).fill(0xff);
    const persister = await WorkerPersister.start({ path: '/dev/full', image, partitionSize: PART, erasedByte: 0xff });
    const errors: Error[] = [];
    const flash = new WriteBehindFlash({ image, partitionSize: PART, persister, onError: (e) => errors.push(e) });
    flash.writeUnlock();
    expect(flash.program(0, new Uint8Array(8).fill(1))).toBe(0);
    expect(await flash.whenDurable(flash.writeSeq)).not.toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/ENOSPC|space/i);
    expect(flash.failed).toBe(true);
    expect(flash.program(8, new Uint8Array(8))).not.toBe(0);
    await flash.close();
  });

  it('a file that cannot be opened fails at start', async () => {
    await expect(WorkerPersister.start({ path: path.join(dir, 'missing'), image: new Uint8Array(2 * PART), partitionSize: PART, erasedByte: 0xff })).rejects.toThrow(/ENOENT/);
  });
});

import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { FaultFlash } from '../../src/ports/flash/fault-flash.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { bootNvm, bytes, meta, ramNvm, text } from '../helpers/nvm-fixture.js';
import { nvmContents } from '../helpers/nvm-snapshot.js';

const P = 4096;

/** A store with three objects (one replaced), optionally compacted so partition 1 is active. */
function storeWithData(opts: { compacted?: boolean; erasedByte?: number } = {}) {
  const built = ramNvm(opts.erasedByte !== undefined ? { erasedByte: opts.erasedByte } : {});
  built.nvm.addObject(meta(1, { label: 'one' }), bytes(20, 0x11));
  built.nvm.addObject(meta(2, { label: 'two' }), text('second object'));
  built.nvm.addObject(meta(2, { label: 'two v2' }), text('second object, replaced'));
  if (opts.compacted) built.nvm.destroyObjects([]);
  return { image: built.ram.snapshot(), contents: nvmContents(built.nvm), erasedByte: opts.erasedByte ?? 0xff };
}

const boot = (image: Uint8Array, erasedByte = 0xff) => bootNvm({ image, erasedByte });

describe('NVM boot: a flash that holds data is never formatted silently', () => {
  it('a blank flash is formatted as a new store, with no warning', () => {
    const b = boot(new Uint8Array(2 * P).fill(0xff));
    expect(b.rc).toBe(0);
    expect(b.backend.initWarnings).toEqual([]);
    expect(b.backend.activePartition).toEqual({ partition: 0, epoch: 0 });
  });

  it('flipped magic bits in the active partition count word: recovered with data intact and a warning naming the byte offset', () => {
    const s = storeWithData();
    const img = s.image.slice();
    img[16 + 6]! ^= 0x01; // partition 0 count word, high half (the magic)
    const b = boot(img);
    expect(b.rc).toBe(0);
    expect(nvmContents(b.nvm)).toEqual(s.contents);
    expect(b.backend.activePartition).toEqual({ partition: 0, epoch: 0 });
    expect(b.backend.initWarnings).toHaveLength(1);
    expect(b.backend.initWarnings[0]).toMatch(/partition 0: count word at byte offset 16 reads 0x12355678/);
    // and the store keeps working
    expect(b.nvm.addObject(meta(3), text('after recovery'))).toBe(0);
    expect(b.nvm.destroyObjects([1])).toBe(0);
    expect(b.nvm.getMetadata(3).rc).toBe(0);
  });

  it('flipped magic bits in the active partition epoch word after a compaction: recovered from partition 1', () => {
    const s = storeWithData({ compacted: true });
    const img = s.image.slice();
    img[P + 7]! ^= 0x80; // partition 1 epoch word, top byte
    const b = boot(img);
    expect(b.rc).toBe(0);
    expect(b.backend.activePartition).toEqual({ partition: 1, epoch: 1 });
    expect(nvmContents(b.nvm)).toEqual(s.contents);
    expect(b.backend.initWarnings.join('\n')).toMatch(new RegExp(`partition 1: epoch word at byte offset ${P} reads 0x92345678`));
  });

  it('a torn count word of a compaction destination never beats the complete old partition', () => {
    const s = storeWithData();
    const img = s.image.slice();
    // Destination partition 1 as a power cut at its count word leaves it: epoch 1, start, half a count.
    const compacted = ramNvm({ image: s.image });
    compacted.nvm.destroyObjects([]);
    img.set(compacted.ram.memory.subarray(P, P + 20), P); // epoch, start and the low half of count
    const b = boot(img);
    expect(b.rc).toBe(0);
    expect(b.backend.activePartition).toEqual({ partition: 0, epoch: 0 });
    expect(nvmContents(b.nvm)).toEqual(s.contents);
    expect(b.backend.initWarnings.join('\n')).toMatch(/partition 1 has a newer epoch \(1\).*ignored/);
  });

  it('a foreign 1 MiB file of random bytes is refused with a diagnosis and left untouched', () => {
    let x = 0x9e3779b9;
    const img = new Uint8Array(1 << 20).map(() => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
    const before = img.slice();
    const b = bootNvm({ image: img, partitionSize: 512 * 1024 });
    expect(b.rc).toBe(WhError.NOTVERIFIED);
    expect(b.backend.initProblem).toMatch(/holds data but no valid NVM store/);
    expect(b.backend.initProblem).toMatch(/partition 0 \(state record at byte offset 0\): epoch 0x[0-9a-f]{16}/);
    expect(b.backend.initProblem).toMatch(/partition 1 \(state record at byte offset 524288\)/);
    expect(b.backend.initProblem).toMatch(/--fresh/);
    expect(Buffer.compare(b.ram.memory, before)).toBe(0);
    expect(b.nvm.getAvailable().rc).toBe(WhError.BADARGS);
  });

  for (const erasedByte of [0xff, 0x00]) {
    it(`a zeroed partition state record is refused, not formatted (erased 0x${erasedByte.toString(16)})`, () => {
      for (const compacted of [false, true]) {
        const s = storeWithData({ compacted, erasedByte });
        const img = s.image.slice();
        const at = compacted ? P : 0;
        img.fill(0, at, at + 24);
        const b = boot(img, erasedByte);
        expect(b.rc).toBe(WhError.NOTVERIFIED);
        expect(b.backend.initProblem).toMatch(new RegExp(`partition ${compacted ? 1 : 0} \\(state record at byte offset ${at}\\)`));
        expect(Buffer.compare(b.ram.memory, img)).toBe(0);
        // formatIfInvalid restores wolfHSM's behaviour: an empty store over the old contents
        const f = bootNvm({ image: img, erasedByte, formatIfInvalid: true });
        expect(f.rc).toBe(0);
        expect(nvmContents(f.nvm)).toEqual([]);
        expect(f.backend.initWarnings.join()).toMatch(/formatIfInvalid/);
      }
    });
  }

  it('an image made with another directory size is refused with BADARGS and says why', () => {
    const other = ramNvm({ objectCount: 30 });
    other.nvm.addObject(meta(1), text('x'));
    const b = bootNvm({ image: other.ram.snapshot(), objectCount: 32 });
    expect(b.rc).toBe(WhError.BADARGS);
    expect(b.backend.initProblem).toMatch(/another geometry.*starts at unit 213.*expects 227/);
  });

  it('a metadata read error at boot skips that entry (spec-core 3.7), keeps its data reserved, and warns', () => {
    const s = storeWithData();
    const ram = new RamFlash({ size: 2 * P, sectorSize: P, pageSize: 8, initData: s.image });
    const fault = new FaultFlash(ram);
    const entry0Meta = (3 + 3) * 8; // partition state, then entry 0's state record
    fault.failReadsIn({ offset: entry0Meta, size: 32 });
    const b = new NvmFlash(fault);
    expect(b.init()).toBe(0);
    expect(b.getMetadata(1).rc).toBe(WhError.NOTFOUND);
    expect(b.read(2, 0, 23)).toEqual({ rc: 0, value: text('second object, replaced') });
    const avail = b.getAvailable();
    expect(avail.rc === 0 && avail.value.reclaimObjects).toBe(2); // entry 0 skipped + the replaced copy of id 2
    expect(b.initWarnings.join()).toMatch(/entry 0 \(byte offset 24\): its metadata could not be read/);
    // the skipped entry's data is not overwritten by the next add
    expect(b.addObject(meta(9), bytes(8, 0x99))).toBe(0);
    expect(ram.memory.subarray(227 * 8, 227 * 8 + 20)).toEqual(bytes(20, 0x11));
  });
});

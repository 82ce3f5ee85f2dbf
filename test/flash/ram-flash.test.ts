import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { FlashConfigError, RamFlash } from '../../src/ports/flash/ram-flash.js';
import { FaultFlash } from '../../src/ports/flash/fault-flash.js';
import { programBytes, programUnits, eraseUnits } from '../../src/nvm/flash-unit.js';

const mk = (erasedByte = 0xff) => new RamFlash({ size: 8192, sectorSize: 4096, pageSize: 8, erasedByte });

describe('RamFlash (wolfHSM RAM simulator semantics)', () => {
  it('rejects impossible geometries', () => {
    expect(() => new RamFlash({ size: 0, sectorSize: 4096, pageSize: 8 })).toThrow(FlashConfigError);
    expect(() => new RamFlash({ size: 8192, sectorSize: 0, pageSize: 8 })).toThrow(FlashConfigError);
    expect(() => new RamFlash({ size: 8192, sectorSize: 4096, pageSize: 0 })).toThrow(FlashConfigError);
    expect(() => new RamFlash({ size: 8192, sectorSize: 4100, pageSize: 8 })).toThrow(FlashConfigError);
  });

  it('starts erased and reports its sector size as the partition size', () => {
    const f = mk(0x00);
    expect(f.partitionSize()).toBe(4096);
    expect(f.blankCheck(0, 8192)).toBe(WhError.OK);
    expect(f.memory.every((b) => b === 0)).toBe(true);
  });

  it('boots onto a saved image', () => {
    const a = mk();
    expect(a.program(16, new Uint8Array(8).fill(7))).toBe(WhError.OK);
    const b = new RamFlash({ size: 8192, sectorSize: 4096, pageSize: 8, initData: a.snapshot() });
    const out = new Uint8Array(8);
    expect(b.read(16, out)).toBe(WhError.OK);
    expect([...out]).toEqual(new Array(8).fill(7));
  });

  it('programs only onto erased bytes: NOTBLANK otherwise, nothing written', () => {
    const f = mk();
    expect(f.program(0, new Uint8Array(8).fill(1))).toBe(WhError.OK);
    expect(f.program(0, new Uint8Array(8).fill(2))).toBe(WhError.NOTBLANK);
    expect(f.memory[0]).toBe(1);
  });

  it('checks bounds and page multiples before blankness, and blankness before the lock', () => {
    const f = mk();
    expect(f.program(8190, new Uint8Array(8))).toBe(WhError.BADARGS);
    expect(f.program(0, new Uint8Array(5))).toBe(WhError.BADARGS);
    f.program(0, new Uint8Array(8).fill(1));
    f.writeLock();
    expect(f.program(0, new Uint8Array(8))).toBe(WhError.NOTBLANK);
    expect(f.program(8, new Uint8Array(8))).toBe(WhError.LOCKED);
    expect(f.erase(0, 4096)).toBe(WhError.LOCKED);
    f.writeUnlock();
    expect(f.program(8, new Uint8Array(8))).toBe(WhError.OK);
  });

  it('erases whole sectors only', () => {
    const f = mk();
    expect(f.erase(8, 4096)).toBe(WhError.BADARGS);
    expect(f.erase(0, 100)).toBe(WhError.BADARGS);
    expect(f.erase(4096, 8192)).toBe(WhError.BADARGS);
    f.program(0, new Uint8Array(8).fill(0));
    expect(f.erase(0, 4096)).toBe(WhError.OK);
    expect(f.blankCheck(0, 4096)).toBe(WhError.OK);
  });

  it('verifies and blank-checks with exact codes', () => {
    const f = mk();
    f.program(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(f.verify(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toBe(WhError.OK);
    expect(f.verify(0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 9]))).toBe(WhError.NOTVERIFIED);
    expect(f.blankCheck(0, 8)).toBe(WhError.NOTBLANK);
    expect(f.blankCheck(8, 8)).toBe(WhError.OK);
    expect(f.read(8190, new Uint8Array(8))).toBe(WhError.BADARGS);
    expect(f.verify(8190, new Uint8Array(8))).toBe(WhError.BADARGS);
    expect(f.blankCheck(8190, 8)).toBe(WhError.BADARGS);
  });
});

describe('flash unit helpers', () => {
  it('pads a partial unit with 0x00 whatever the erased value', () => {
    const f = mk(0xff);
    expect(programBytes(f, 2, new Uint8Array([1, 2, 3, 4, 5, 6]))).toBe(WhError.OK);
    expect([...f.memory.subarray(16, 24)]).toEqual([1, 2, 3, 4, 5, 6, 0, 0]);
  });

  it('programs 1..8 bytes and reads back any unaligned range', () => {
    const f = mk(0x00);
    for (let n = 1; n <= 8; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => 0x10 * n + i);
      expect(programBytes(f, 10 + n, data)).toBe(WhError.OK);
      const out = new Uint8Array(n);
      expect(f.read((10 + n) * 8, out)).toBe(WhError.OK);
      expect(out).toEqual(data);
    }
    // Unit 12 holds n=2 (0x20 0x21, zero padded); unit 13 holds n=3 (0x30 0x31 0x32).
    const out = new Uint8Array(10);
    expect(f.read(12 * 8 + 1, out)).toBe(WhError.OK);
    expect([...out]).toEqual([0x21, 0, 0, 0, 0, 0, 0, 0x30, 0x31, 0x32]);
  });

  it('write-once units: NOTBLANK on a second program; erase restores', () => {
    const f = mk();
    expect(programUnits(f, 0, new Uint8Array(16).fill(3))).toBe(WhError.OK);
    expect(programUnits(f, 1, new Uint8Array(8).fill(3))).toBe(WhError.NOTBLANK);
    expect(eraseUnits(f, 0, 0)).toBe(WhError.OK);
    expect(f.memory[0]).toBe(3);
    expect(eraseUnits(f, 0, 512)).toBe(WhError.OK);
    expect(f.memory[0]).toBe(0xff);
  });
});

describe('FaultFlash', () => {
  it("wolfHSM's injector mode fails only the Nth program, without writing", () => {
    const ram = mk();
    const f = new FaultFlash(ram);
    f.failProgramAt(2);
    expect(f.program(0, new Uint8Array(8).fill(1))).toBe(WhError.OK);
    expect(f.program(8, new Uint8Array(8).fill(2))).toBe(WhError.ABORTED);
    expect(ram.memory[8]).toBe(0xff);
    expect(f.program(16, new Uint8Array(8).fill(3))).toBe(WhError.OK);
  });

  it('a power cut stops every later write and can tear the one in progress', () => {
    const ram = mk();
    const f = new FaultFlash(ram);
    f.armPowerCut({ afterWrites: 2, tear: 0.5 });
    expect(f.program(0, new Uint8Array(8).fill(1))).toBe(WhError.OK);
    expect(f.program(8, new Uint8Array(8).fill(2))).toBe(WhError.ABORTED);
    expect([...ram.memory.subarray(8, 16)]).toEqual([2, 2, 2, 2, 0xff, 0xff, 0xff, 0xff]);
    expect(f.program(16, new Uint8Array(8))).toBe(WhError.ABORTED);
    expect(f.erase(0, 4096)).toBe(WhError.ABORTED);
    expect(ram.memory[0]).toBe(1);
    expect(f.powerCut).toBe(true);
  });

  it('tears an erase as a prefix of the range', () => {
    const ram = mk();
    ram.program(0, new Uint8Array(4096).fill(0));
    const f = new FaultFlash(ram);
    f.armPowerCut({ afterWrites: 1, tear: 0.25 });
    expect(f.erase(0, 4096)).toBe(WhError.ABORTED);
    expect(ram.memory[0]).toBe(0xff);
    expect(ram.memory[1023]).toBe(0xff);
    expect(ram.memory[1024]).toBe(0);
  });
});

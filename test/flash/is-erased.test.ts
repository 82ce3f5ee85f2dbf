import { describe, expect, it } from 'vitest';
import { isErased } from '../../src/ports/flash/flash-range.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';

describe('blank checks served from memory (memcmp in 64 KiB chunks)', () => {
  it('finds a single programmed byte anywhere: first, last, either side of a chunk boundary; any erased value', () => {
    for (const erased of [0xff, 0x00]) {
      const mem = new Uint8Array(200_000).fill(erased);
      expect(isErased(mem, 0, mem.length, erased)).toBe(true);
      for (const at of [0, 1, 65_535, 65_536, 131_071, 131_072, 199_999]) {
        mem[at] = erased ^ 0x01;
        expect({ erased, at, whole: isErased(mem, 0, mem.length, erased) }).toEqual({ erased, at, whole: false });
        expect(isErased(mem, at + 1, mem.length - at - 1, erased), `after ${at}`).toBe(true);
        if (at > 0) expect(isErased(mem, 0, at, erased), `before ${at}`).toBe(true);
        mem[at] = erased;
      }
      expect(isErased(mem, 5, 0, erased)).toBe(true);
    }
  });

  it('a view into a larger buffer is checked at its own offsets', () => {
    const backing = new Uint8Array(1000).fill(0);
    const view = backing.subarray(100, 900).fill(0xff);
    expect(isErased(view, 0, view.length, 0xff)).toBe(true);
    backing[899] = 0; // the view's last byte
    expect(isErased(view, 0, view.length, 0xff)).toBe(false);
  });

  it('RamFlash answers NOTBLANK for a programmed range and OK once erased', () => {
    const f = new RamFlash({ size: 2 * 131_072, sectorSize: 131_072, pageSize: 8 });
    expect(f.blankCheck(0, 2 * 131_072)).toBe(0);
    expect(f.program(131_064, new Uint8Array(8).fill(1))).toBe(0);
    expect(f.blankCheck(0, 131_072)).toBe(-2103); // NOTBLANK
    expect(f.blankCheck(131_072, 131_072)).toBe(0);
    expect(f.erase(0, 131_072)).toBe(0);
    expect(f.blankCheck(0, 131_072)).toBe(0);
  });
});

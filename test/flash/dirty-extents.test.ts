import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/ports/flash/memory-sink.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { WriteBehindFlash } from '../../src/ports/flash/write-behind-flash.js';

const PART = 4096;

describe('write-behind flash with tracked erased extents', () => {
  for (const erasedByte of [0xff, 0x00]) {
    it(`answers every blank check and holds every byte as a plain RAM flash does (erased 0x${erasedByte.toString(16)})`, async () => {
      let s = 12345;
      const rand = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
      const image = new Uint8Array(2 * PART).fill(erasedByte);
      image.set([1, 2, 3], 100); // a non-empty start
      const ram = new RamFlash({ size: 2 * PART, sectorSize: PART, pageSize: 8, erasedByte, initData: image });
      const sink = new MemorySink(image);
      const wb = new WriteBehindFlash({ image: image.slice(), partitionSize: PART, erasedByte, sink });
      ram.writeUnlock();
      wb.writeUnlock();
      for (let step = 0; step < 3000; step++) {
        const op = rand(10);
        if (op < 5) {
          const at = rand(2 * PART / 8 - 4) * 8;
          const data = new Uint8Array(8 * (1 + rand(4))).map(() => (rand(3) === 0 ? erasedByte : rand(256)));
          if (ram.blankCheck(at, data.length) === 0) {
            expect(ram.program(at, data)).toBe(0);
            expect(wb.program(at, data)).toBe(0);
          }
        } else if (op < 6) {
          const p = rand(2);
          expect(ram.erase(p * PART, PART)).toBe(0);
          expect(wb.erase(p * PART, PART)).toBe(0);
        } else {
          const at = rand(2 * PART);
          const size = rand(2 * PART - at + 1);
          expect(wb.blankCheck(at, size), `blank check ${at}+${size}`).toBe(ram.blankCheck(at, size));
        }
      }
      const out = new Uint8Array(2 * PART);
      expect(wb.read(0, out)).toBe(0);
      expect(out).toEqual(ram.snapshot());
      expect(await wb.close()).toBe(0);
      expect(sink.durable).toEqual(ram.snapshot());
    });
  }
});

import { describe, expect, it } from 'vitest';
import { JournalBuffer, unpackJournal } from '../../src/ports/flash/journal-buffer.js';

describe('JournalBuffer', () => {
  it('packs writes, fills and barriers in order and unpacks them as they were', () => {
    const j = new JournalBuffer();
    const big = new Uint8Array(10_000).map((_, i) => i & 0xff);
    j.write(8, new Uint8Array([1, 2, 3]));
    j.barrier('prepared');
    j.write(100_000, big); // grows the buffer
    j.fill(524_288, 524_288, 0xff);
    j.barrier('commit');
    j.barrier('ordered');
    expect(j.count).toBe(6);
    const packed = j.take();
    expect(packed.byteOffset).toBe(0);
    expect(j.count).toBe(0);
    expect(unpackJournal(packed)).toEqual([
      { kind: 'write', offset: 8, bytes: new Uint8Array([1, 2, 3]) },
      { kind: 'barrier', barrier: 'prepared' },
      { kind: 'write', offset: 100_000, bytes: big },
      { kind: 'fill', offset: 524_288, size: 524_288, byte: 0xff },
      { kind: 'barrier', barrier: 'commit' },
      { kind: 'barrier', barrier: 'ordered' },
    ]);
  });

  it('copies what it is given, and a taken batch is not touched by later records', () => {
    const j = new JournalBuffer();
    const data = new Uint8Array([7, 7]);
    j.write(0, data);
    data.fill(9);
    const first = j.take();
    j.write(0, new Uint8Array([5]));
    expect(unpackJournal(first)).toEqual([{ kind: 'write', offset: 0, bytes: new Uint8Array([7, 7]) }]);
    expect(first.buffer).not.toBe(j.take().buffer);
  });
});

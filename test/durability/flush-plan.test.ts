import { describe, expect, it } from 'vitest';
import { planFlush, type JournalItem } from '../../src/ports/flash/journal.js';

const w = (offset: number, ...bytes: number[]): JournalItem => ({ kind: 'write', offset, bytes: new Uint8Array(bytes) });
const b = (barrier: 'prepared' | 'commit' | 'ordered' | 'erased'): JournalItem => ({ kind: 'barrier', barrier });
const erase = (offset: number, size: number): JournalItem[] => [{ kind: 'fill', offset, size, byte: 0xff }, b('erased')];
const addPair = (entry: number, data: number): JournalItem[] => [w(entry, 1), w(data, 2, 2), b('prepared'), w(entry + 16, 3), b('commit')];
const shape = (items: JournalItem[]) => planFlush(items).map((s) => (s.kind === 'sync' ? 'S' : s.kind === 'fill' ? `f${s.offset}:${s.size}` : `w${s.offset}:${s.bytes.length}`));

describe('planFlush', () => {
  it('a run of adds: all data, one sync, all commit words, one sync', () => {
    const plan = shape([...addPair(0, 100), ...addPair(56, 110), ...addPair(112, 120)]);
    expect(plan).toEqual(['w0:1', 'w56:1', 'w100:2', 'w110:3', 'w120:2', 'S', 'w16:1', 'w72:1', 'w128:1', 'S']);
  });

  it('an ordered barrier ends the run and is a sync of its own', () => {
    const plan = shape([...addPair(0, 100), w(500, 9), b('ordered'), ...addPair(56, 110)]);
    expect(plan).toEqual(['w0:1', 'w100:2', 'S', 'w16:1', 'S', 'w500:1', 'S', 'w56:1', 'w110:2', 'S', 'w72:1', 'S']);
  });

  it('an erase shares the next sync with the prepared writes that follow it elsewhere', () => {
    // A compaction's last step (erase of the old partition) and then two adds in the new one.
    const plan = shape([...erase(0, 4096), ...addPair(5000, 6000), ...addPair(5056, 6010)]);
    expect(plan).toEqual(['f0:4096', 'w5000:1', 'w5056:1', 'w6000:2', 'w6010:2', 'S', 'w5016:1', 'w5072:1', 'S']);
  });

  it('an erase is synced before prepared writes into its range, before an ordered segment, and at the end', () => {
    expect(shape([...erase(0, 4096), ...addPair(100, 200)])).toEqual(['f0:4096', 'S', 'w100:1', 'w200:2', 'S', 'w116:1', 'S']);
    expect(shape([...erase(0, 4096), w(9000, 1), b('ordered')])).toEqual(['f0:4096', 'S', 'w9000:1', 'S']);
    expect(shape([...erase(0, 4096)])).toEqual(['f0:4096', 'S']);
    // A lone commit is not a prepared write: the erase goes first.
    expect(shape([...erase(0, 4096), w(9000, 1), b('commit')])).toEqual(['f0:4096', 'S', 'w9000:1', 'S']);
  });

  it('merges contiguous and overlapping writes of one group, later ones winning', () => {
    const plan = planFlush([w(0, 1, 1, 1, 1), w(2, 9, 9), w(4, 5), { kind: 'fill', offset: 8, size: 2, byte: 0xff }, b('ordered')]);
    expect(plan).toEqual([
      { kind: 'write', offset: 0, bytes: new Uint8Array([1, 1, 9, 9, 5]) },
      { kind: 'fill', offset: 8, size: 2, byte: 0xff },
      { kind: 'sync' },
    ]);
  });

  it('an erase overlapped by later writes of the same group is materialised with them on top', () => {
    const plan = planFlush([{ kind: 'fill', offset: 0, size: 8, byte: 0xff }, w(2, 7), b('ordered')]);
    expect(plan).toEqual([{ kind: 'write', offset: 0, bytes: new Uint8Array([0xff, 0xff, 7, 0xff, 0xff, 0xff, 0xff, 0xff]) }, { kind: 'sync' }]);
  });

  it('a trailing segment without a barrier is written and synced', () => {
    expect(shape([w(8, 1)])).toEqual(['w8:1', 'S']);
    expect(shape([])).toEqual([]);
  });
});

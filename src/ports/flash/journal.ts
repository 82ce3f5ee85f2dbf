import type { FlashBarrier } from './flash-port.js';

/** One queued change to the backing store, in the order the NVM made it. */
export type JournalItem =
  | { readonly kind: 'write'; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly kind: 'fill'; readonly offset: number; readonly size: number; readonly byte: number }
  | { readonly kind: 'barrier'; readonly barrier: FlashBarrier };

/** What the persister does with the backing store: write a range, fill one (an erase), or sync everything written so far. */
export type FlushStep =
  | { readonly kind: 'write'; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly kind: 'fill'; readonly offset: number; readonly size: number; readonly byte: number }
  | { readonly kind: 'sync' };

type Change = Exclude<JournalItem, { kind: 'barrier' }>;

interface Segment {
  readonly changes: Change[];
  readonly closedBy: FlashBarrier | null;
}

function segments(items: readonly JournalItem[]): Segment[] {
  const out: Segment[] = [];
  let changes: Change[] = [];
  for (const it of items) {
    if (it.kind === 'barrier') {
      out.push({ changes, closedBy: it.barrier });
      changes = [];
    } else changes.push(it);
  }
  if (changes.length > 0) out.push({ changes, closedBy: null });
  return out;
}

const endOf = (c: Change) => c.offset + (c.kind === 'write' ? c.bytes.length : c.size);

/**
 * Writes of one group (no sync between them): the OS may persist them in any order
 * anyway, so they are merged into contiguous extents, later changes winning where
 * they overlap.
 */
function extents(changes: readonly Change[]): FlushStep[] {
  if (changes.length === 0) return [];
  const sorted = [...changes].sort((a, b) => a.offset - b.offset);
  const ranges: { start: number; end: number }[] = [];
  for (const c of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && c.offset <= last.end) last.end = Math.max(last.end, endOf(c));
    else ranges.push({ start: c.offset, end: endOf(c) });
  }
  // A range that is one erase and nothing else stays a fill: no 512 KiB buffer to build.
  const only = ranges.map(() => null as Change | null);
  const counts = ranges.map(() => 0);
  const bufs = ranges.map(() => null as Uint8Array | null);
  const find = (offset: number) => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ranges[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const c of changes) {
    const i = find(c.offset);
    counts[i]!++;
    only[i] = c;
  }
  for (const c of changes) {
    const i = find(c.offset);
    const r = ranges[i]!;
    if (counts[i] === 1 && c.kind === 'fill') continue;
    const buf = (bufs[i] ??= new Uint8Array(r.end - r.start));
    const at = c.offset - r.start;
    if (c.kind === 'write') buf.set(c.bytes, at);
    else buf.fill(c.byte, at, at + c.size);
  }
  return ranges.map((r, i): FlushStep => {
    const c = only[i]!;
    if (counts[i] === 1 && c.kind === 'fill') return { kind: 'fill', offset: c.offset, size: c.size, byte: c.byte };
    return { kind: 'write', offset: r.start, bytes: bufs[i]! };
  });
}

const isPair = (s: readonly Segment[], i: number) => s[i]?.closedBy === 'prepared' && s[i + 1]?.closedBy === 'commit';

/** A byte range [start, end) written and not yet synced. */
interface Range {
  readonly start: number;
  readonly end: number;
}

const rangesOf = (changes: readonly Change[]): Range[] => changes.map((c) => ({ start: c.offset, end: endOf(c) }));
const overlaps = (changes: readonly Change[], ranges: readonly Range[]) => changes.some((c) => ranges.some((r) => c.offset < r.end && endOf(c) > r.start));

/**
 * Turns a batch of journal items into writes and syncs that keep the store's
 * power-loss guarantees with as few syncs as possible.
 *
 * Every barrier becomes a sync, except in a run of (prepared, commit) pairs, the
 * shape of consecutive adds: there all prepared writes go first, one sync, then all
 * commit words, one sync. That is safe because a prepared segment only fills flash
 * that nothing committed refers to (flash-port.ts), so persisting it ahead of an
 * earlier commit word changes nothing a boot would read. An erased segment likewise
 * shares the next sync with the prepared writes that follow it, unless they write
 * into the erased range. Any other barrier ('ordered', a lone commit) is a sync of its
 * own. A trailing segment without a barrier is written and synced too, so the whole
 * batch is durable when the plan ends.
 */
export function planFlush(items: readonly JournalItem[]): FlushStep[] {
  const segs = segments(items);
  const steps: FlushStep[] = [];
  // Ranges an erased segment wrote that the next sync must cover before anything else lands.
  let erased: Range[] | null = null;
  const sync = () => {
    if (steps.length > 0 && steps[steps.length - 1]!.kind !== 'sync') steps.push({ kind: 'sync' });
    erased = null;
  };
  let i = 0;
  while (i < segs.length) {
    if (isPair(segs, i)) {
      const prepared: Change[] = [];
      const commits: Change[] = [];
      while (isPair(segs, i)) {
        prepared.push(...segs[i]!.changes);
        commits.push(...segs[i + 1]!.changes);
        i += 2;
      }
      if (erased && overlaps(prepared, erased)) sync();
      steps.push(...extents(prepared));
      sync();
      steps.push(...extents(commits));
      sync();
      continue;
    }
    const seg = segs[i]!;
    i++;
    if (seg.closedBy === 'erased') {
      // Durable before the next commit or any rewrite of its range; until then it rides along.
      if (erased && overlaps(seg.changes, erased)) sync();
      steps.push(...extents(seg.changes));
      erased = [...(erased ?? []), ...rangesOf(seg.changes)];
      continue;
    }
    // Anything else may change what a boot reads: an erase still unsynced goes first.
    if (erased) sync();
    steps.push(...extents(seg.changes));
    sync();
  }
  sync();
  return steps;
}

import { WhError, type WhFailure } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { STATE_UNITS, formatWord, type RawWord } from './flash-layout.js';
import { UNIT_BYTES } from './flash-unit.js';
import { readPartitionWords, wordHasMagic, type PartitionWords } from './state-record.js';

export interface StoreGeometry {
  /** Units per partition (partition size / 8). */
  readonly partitionUnits: number;
  /** Units before the data area: the value a partition's start word holds. */
  readonly headerUnits: number;
}

/** What init does with the flash it finds. */
export type BootPlan =
  | { readonly kind: 'format'; readonly warnings: readonly string[] }
  | { readonly kind: 'use'; readonly partition: 0 | 1; readonly epoch: number; readonly warnings: readonly string[] }
  | { readonly kind: 'refuse'; readonly rc: WhFailure; readonly problem: string };

/** How one partition's state record reads. */
type PartitionView =
  /** All three words written with the magic. */
  | { readonly kind: 'valid'; readonly epoch: number; readonly start: number; readonly count: number }
  /**
   * All three written, some without the magic, but start and count hold exactly the
   * values this geometry writes: wolfHSM (which keeps the low 32 bits of any written
   * word) would use this partition.
   */
  | { readonly kind: 'suspect'; readonly epoch: number; readonly rejected: readonly string[] }
  | { readonly kind: 'free' }
  /** Anything else: an interrupted format or compaction, damage, or not a store at all. */
  | { readonly kind: 'unusable' };

const WORD_NAMES = ['epoch', 'start', 'count'] as const;

function view(w: PartitionWords, g: StoreGeometry): PartitionView {
  const words = [w.epoch, w.start, w.count];
  if (w.epoch?.kind === 'blank') return { kind: 'free' };
  const written = words.filter((x): x is Extract<RawWord, { kind: 'written' }> => x?.kind === 'written');
  if (written.length !== 3) return { kind: 'unusable' };
  const [epoch, start, count] = written as [(typeof written)[0], (typeof written)[0], (typeof written)[0]];
  if (written.every(wordHasMagic)) return { kind: 'valid', epoch: epoch.low, start: start.low, count: count.low };
  if (start.low !== g.headerUnits || count.low !== g.partitionUnits) return { kind: 'unusable' };
  const rejected = written.flatMap((x, i) =>
    wordHasMagic(x) ? [] : [`${WORD_NAMES[i]} word at byte offset ${w.byteOffset + i * UNIT_BYTES} reads ${formatWord(x)} (no 0x12345678 magic)`],
  );
  return { kind: 'suspect', epoch: epoch.low, rejected };
}

function describe(p: 0 | 1, w: PartitionWords): string {
  const words = [w.epoch, w.start, w.count]
    .map((x, i) => `${WORD_NAMES[i]} ${x === null ? 'unreadable' : formatWord(x)}`)
    .join(', ');
  return `partition ${p} (state record at byte offset ${w.byteOffset}): ${words}`;
}

/** Larger epoch wins; equal epochs pick partition 0 (spec-core 3.7). */
function byEpoch(a: number, b: number): 0 | 1 {
  return b > a ? 1 : 0;
}

/**
 * Decides, without writing anything, how init treats the flash (spec-core 3.7 step 5,
 * made safe). wolfHSM formats partition 0 whenever neither partition is USED, which
 * destroys a store whose state words were damaged. Here:
 *
 * 1. A partition whose words all carry the magic wins (larger epoch), as in wolfHSM.
 * 2. A flash that holds nothing outside the two partition state records (erased, or an
 *    interrupted format) is formatted: there is nothing to lose.
 * 3. A partition whose words are all written but some lack the magic, and whose start
 *    and count are this geometry's, is read as wolfHSM reads it (low 32 bits), with a
 *    warning. It never beats a valid partition: a power-torn count word during a
 *    compaction must leave the old, complete partition in charge.
 * 4. Anything else is refused with NOTVERIFIED and a diagnosis, unless the caller
 *    asked for `formatIfInvalid` (wolfHSM's behaviour).
 */
export function planBoot(flash: FlashPort, g: StoreGeometry, formatIfInvalid: boolean): BootPlan {
  const partBytes = g.partitionUnits * UNIT_BYTES;
  const words = [readPartitionWords(flash, 0), readPartitionWords(flash, g.partitionUnits)] as const;
  const views = [view(words[0], g), view(words[1], g)] as const;
  const [v0, v1] = views;

  if (v0.kind === 'valid' || v1.kind === 'valid') {
    const active: 0 | 1 = v0.kind === 'valid' && v1.kind === 'valid' ? byEpoch(v0.epoch, v1.epoch) : v0.kind === 'valid' ? 0 : 1;
    const chosen = views[active] as Extract<PartitionView, { kind: 'valid' }>;
    const other = views[active === 0 ? 1 : 0];
    // Deviation: an image made for another directory or partition size is refused, not misread.
    if (chosen.start !== g.headerUnits || chosen.count !== g.partitionUnits) {
      return {
        rc: WhError.BADARGS,
        kind: 'refuse',
        problem:
          `the store was made with another geometry: ${describe(active, words[active])} says the data area starts at unit ${chosen.start} ` +
          `and the partition has ${chosen.count} units; this configuration expects ${g.headerUnits} and ${g.partitionUnits} ` +
          `(another NVM object count or partition size). Open it with the geometry it was made with.`,
      };
    }
    const warnings =
      other.kind === 'suspect' && other.epoch > chosen.epoch
        ? [
            `partition ${active === 0 ? 1 : 0} has a newer epoch (${other.epoch}) but ${other.rejected.join('; ')}; ` +
              `it is ignored (an interrupted compaction) and partition ${active} (epoch ${chosen.epoch}) is used`,
          ]
        : [];
    return { kind: 'use', partition: active, epoch: chosen.epoch, warnings };
  }

  const stateBytes = STATE_UNITS * UNIT_BYTES;
  const holdsNoData =
    flash.blankCheck(stateBytes, partBytes - stateBytes) === WhError.OK &&
    flash.blankCheck(partBytes + stateBytes, partBytes - stateBytes) === WhError.OK;
  if (holdsNoData) {
    const leftovers = words.flatMap((w, p) => (views[p]!.kind === 'free' && w.start?.kind === 'blank' && w.count?.kind === 'blank' ? [] : [describe(p as 0 | 1, w)]));
    const warnings = leftovers.length === 0 ? [] : [`no object was ever written; formatted over an interrupted format (${leftovers.join('; ')})`];
    return { kind: 'format', warnings };
  }

  if (v0.kind === 'suspect' || v1.kind === 'suspect') {
    const active: 0 | 1 = v0.kind === 'suspect' && v1.kind === 'suspect' ? byEpoch(v0.epoch, v1.epoch) : v0.kind === 'suspect' ? 0 : 1;
    const chosen = views[active] as Extract<PartitionView, { kind: 'suspect' }>;
    return {
      kind: 'use',
      partition: active,
      epoch: chosen.epoch,
      warnings: [
        `partition ${active}: ${chosen.rejected.join('; ')}; its start and count hold the expected values, so it is read as wolfHSM reads it (epoch ${chosen.epoch})`,
      ],
    };
  }

  const problem =
    `the flash holds data but no valid NVM store: ${describe(0, words[0])}; ${describe(1, words[1])}. ` +
    `Neither partition has a complete state record (three words with the 0x12345678 magic, start ${g.headerUnits}, count ${g.partitionUnits}); ` +
    `it is not this store's image or it is damaged. Nothing was written. To erase it and start an empty store, start the server with --fresh ` +
    `(NvmFlashConfig.formatIfInvalid in code).`;
  if (formatIfInvalid) return { kind: 'format', warnings: [`formatted over contents that were not a valid store (formatIfInvalid): ${problem}`] };
  return { kind: 'refuse', rc: WhError.NOTVERIFIED, problem };
}

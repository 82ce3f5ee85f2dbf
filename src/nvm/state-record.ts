import { WhError } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { CRC_WORD_TAG, STATE_MAGIC, readRawWord, type RawWord } from './flash-layout.js';
import { UNIT_BYTES } from './flash-unit.js';

export const EntryStatus = {
  UNKNOWN: 'UNKNOWN',
  FREE: 'FREE',
  USED: 'USED',
  DATA_BAD: 'DATA_BAD',
  META_BAD: 'META_BAD',
  /** CRC16 option: the metadata of a complete entry fails its CRC. */
  CRC_BAD: 'CRC_BAD',
  /** CRC16 option: an incomplete entry's metadata (hence its length) fails its CRC. */
  LEN_BAD: 'LEN_BAD',
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

export interface StateRecord {
  readonly status: EntryStatus;
  readonly epoch: number;
  readonly start: number;
  readonly count: number;
  /** CRC16 layout: the CRC in the start word (metadata) and the count word (data); 0 otherwise. */
  readonly metaCrc: number;
  readonly dataCrc: number;
  /**
   * The first written word that was not accepted (no magic): which word and its raw
   * halves, for diagnostics. Such a word makes the record META_BAD or DATA_BAD.
   */
  readonly rejected: { readonly word: 0 | 1 | 2; readonly raw: RawWord } | null;
}

const NONE = { epoch: 0, start: 0, count: 0, metaCrc: 0, dataCrc: 0, rejected: null } as const;
const UNKNOWN_RECORD: StateRecord = { status: EntryStatus.UNKNOWN, ...NONE };
export const FREE_RECORD: StateRecord = { status: EntryStatus.FREE, ...NONE };

type Written = Extract<RawWord, { kind: 'written' }>;
const hasMagic = (w: Written) => w.high === STATE_MAGIC;
const hasCrcTag = (w: Written) => w.high >>> 16 === CRC_WORD_TAG;

/** One of a record's three words (0 epoch, 1 start, 2 count), or null when it cannot be read. */
type WordSource = (word: 0 | 1 | 2) => RawWord | null;

/**
 * Classifies an object's state record (spec-core 3.6): epoch blank → FREE; epoch
 * written but start not → META_BAD; start written but count not → DATA_BAD; all
 * three → USED. A read error gives UNKNOWN. Words are asked for in order, and only
 * as far as the classification needs them.
 *
 * Deviation (docs/deviations.md 2): a written word counts only if it carries the
 * magic (all of 0x12345678, or the 0x1234 tag for CRC-layout start and count words),
 * so a power-torn word never makes a half-written entry look complete.
 */
function classify(wordOf: WordSource, crcLayout: boolean): StateRecord {
  const epoch = wordOf(0);
  if (epoch === null) return UNKNOWN_RECORD;
  if (epoch.kind === 'blank') return FREE_RECORD;
  if (!hasMagic(epoch)) return record(EntryStatus.META_BAD, 0, 0, 0, 0, 0, { word: 0, raw: epoch });
  const start = wordOf(1);
  if (start === null) return UNKNOWN_RECORD;
  const accepts = crcLayout ? hasCrcTag : hasMagic;
  if (start.kind === 'blank') return record(EntryStatus.META_BAD, epoch.low, 0, 0, 0, 0, null);
  if (!accepts(start)) return record(EntryStatus.META_BAD, epoch.low, 0, 0, 0, 0, { word: 1, raw: start });
  const metaCrc = crcLayout ? start.high & 0xffff : 0;
  const count = wordOf(2);
  if (count === null) return UNKNOWN_RECORD;
  if (count.kind === 'blank') return record(EntryStatus.DATA_BAD, epoch.low, start.low, 0, metaCrc, 0, null);
  if (!accepts(count)) return record(EntryStatus.DATA_BAD, epoch.low, start.low, 0, metaCrc, 0, { word: 2, raw: count });
  return record(EntryStatus.USED, epoch.low, start.low, count.low, metaCrc, crcLayout ? count.high & 0xffff : 0, null);
}

// One object shape for every record (a directory load makes one per entry).
function record(status: EntryStatus, epoch: number, start: number, count: number, metaCrc: number, dataCrc: number, rejected: StateRecord['rejected']): StateRecord {
  return { status, epoch, start, count, metaCrc, dataCrc, rejected };
}

/** Reads and classifies an object's state record word by word: a blank check, then a read of each word it needs. */
export function readObjectState(flash: FlashPort, unitOffset: number, crcLayout: boolean): StateRecord {
  const scratch = new Uint8Array(UNIT_BYTES);
  const base = unitOffset * UNIT_BYTES;
  return classify((k) => readRawWord(flash, base + k * UNIT_BYTES, scratch), crcLayout);
}

/**
 * Classifies a state record from its 24 bytes, already read from flash at unit
 * `unitOffset` into `bytes` at `at`: the same answer as readObjectState, with no
 * further reads. Erased means every byte equals the erased value, so a word whose
 * eight bytes are not all equal is written; only a uniform word (an erased one,
 * or written as all-equal bytes) is blank-checked on the flash itself.
 */
export function parseObjectState(flash: FlashPort, unitOffset: number, bytes: DataView, at: number, crcLayout: boolean): StateRecord {
  const base = unitOffset * UNIT_BYTES;
  return classify((k) => {
    const low = bytes.getUint32(at + k * UNIT_BYTES, true);
    const high = bytes.getUint32(at + k * UNIT_BYTES + 4, true);
    if (low === high && low === Math.imul(low & 0xff, 0x01010101) >>> 0) {
      const rc = flash.blankCheck(base + k * UNIT_BYTES, UNIT_BYTES);
      if (rc === WhError.OK) return BLANK_WORD;
      if (rc !== WhError.NOTBLANK) return null;
    }
    return { kind: 'written', low, high };
  }, crcLayout);
}

const BLANK_WORD: RawWord = { kind: 'blank' };

/** The three raw words of a partition state record (null where the flash could not be read). */
export interface PartitionWords {
  readonly byteOffset: number;
  readonly epoch: RawWord | null;
  readonly start: RawWord | null;
  readonly count: RawWord | null;
}

export function readPartitionWords(flash: FlashPort, unitOffset: number): PartitionWords {
  const scratch = new Uint8Array(UNIT_BYTES);
  const base = unitOffset * UNIT_BYTES;
  return {
    byteOffset: base,
    epoch: readRawWord(flash, base, scratch),
    start: readRawWord(flash, base + UNIT_BYTES, scratch),
    count: readRawWord(flash, base + 2 * UNIT_BYTES, scratch),
  };
}

export { hasMagic as wordHasMagic };

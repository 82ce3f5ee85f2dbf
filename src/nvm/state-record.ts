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

/**
 * Classifies an object's state record (spec-core 3.6): epoch blank → FREE; epoch
 * written but start not → META_BAD; start written but count not → DATA_BAD; all
 * three → USED. A read error gives UNKNOWN.
 *
 * Deviation (docs/deviations.md 2): a written word counts only if it carries the
 * magic (all of 0x12345678, or the 0x1234 tag for CRC-layout start and count words),
 * so a power-torn word never makes a half-written entry look complete.
 */
export function readObjectState(flash: FlashPort, unitOffset: number, crcLayout: boolean): StateRecord {
  const scratch = new Uint8Array(UNIT_BYTES);
  const base = unitOffset * UNIT_BYTES;
  const epoch = readRawWord(flash, base, scratch);
  if (epoch === null) return UNKNOWN_RECORD;
  if (epoch.kind === 'blank') return FREE_RECORD;
  const metaBad = (rejected: StateRecord['rejected']): StateRecord => ({
    ...NONE,
    status: EntryStatus.META_BAD,
    epoch: hasMagic(epoch) ? epoch.low : 0,
    rejected,
  });
  if (!hasMagic(epoch)) return metaBad({ word: 0, raw: epoch });
  const start = readRawWord(flash, base + UNIT_BYTES, scratch);
  if (start === null) return UNKNOWN_RECORD;
  const accepts = crcLayout ? hasCrcTag : hasMagic;
  if (start.kind === 'blank') return metaBad(null);
  if (!accepts(start)) return metaBad({ word: 1, raw: start });
  const metaCrc = crcLayout ? start.high & 0xffff : 0;
  const count = readRawWord(flash, base + 2 * UNIT_BYTES, scratch);
  if (count === null) return UNKNOWN_RECORD;
  const partial = { ...NONE, status: EntryStatus.DATA_BAD, epoch: epoch.low, start: start.low, metaCrc };
  if (count.kind === 'blank') return partial;
  if (!accepts(count)) return { ...partial, rejected: { word: 2, raw: count } };
  return {
    status: EntryStatus.USED,
    epoch: epoch.low,
    start: start.low,
    count: count.low,
    metaCrc,
    dataCrc: crcLayout ? count.high & 0xffff : 0,
    rejected: null,
  };
}

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

import { WhError } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { UNIT_BYTES } from './flash-unit.js';

/**
 * On-flash layout of wolfHSM's two-partition NVM (wh_nvm_flash.c), in 8-byte units:
 * partition state (3 units), N directory entries of 7 units (state + 32-byte
 * metadata), then the data area. State words hold a value in the low 32 bits and
 * the magic 0x12345678 in the high 32 bits, so a written word never looks erased.
 */
export const STATE_MAGIC = 0x12345678;
export const STATE_UNITS = 3;
export const ENTRY_UNITS = 7;
export const META_UNITS = 4;

export function headerUnits(objectCount: number): number {
  return STATE_UNITS + ENTRY_UNITS * objectCount;
}

/** Unit offset of directory entry `index`, relative to its partition. */
export function entryUnit(index: number): number {
  return STATE_UNITS + ENTRY_UNITS * index;
}

export function stateWord(value: number): Uint8Array {
  const w = new Uint8Array(UNIT_BYTES);
  const v = new DataView(w.buffer);
  v.setUint32(0, value >>> 0, true);
  v.setUint32(4, STATE_MAGIC, true);
  return w;
}

/** How one state word reads back: erased, a value with the magic, or something torn. */
export type WordState = { readonly kind: 'blank' } | { readonly kind: 'valid'; readonly value: number } | { readonly kind: 'corrupt' };

export function readWord(flash: FlashPort, byteOffset: number, scratch: Uint8Array): WordState | null {
  const rc = flash.blankCheck(byteOffset, UNIT_BYTES);
  if (rc === WhError.OK) return { kind: 'blank' };
  if (rc !== WhError.NOTBLANK) return null;
  if (flash.read(byteOffset, scratch) !== WhError.OK) return null;
  const v = new DataView(scratch.buffer, scratch.byteOffset, UNIT_BYTES);
  // Deviation: wolfHSM keeps the low 32 bits of any non-blank word; we treat a word
  // without the magic as torn, so a half-programmed word is never trusted.
  if (v.getUint32(4, true) !== STATE_MAGIC) return { kind: 'corrupt' };
  return { kind: 'valid', value: v.getUint32(0, true) };
}

export const EntryStatus = {
  UNKNOWN: 'UNKNOWN',
  FREE: 'FREE',
  USED: 'USED',
  DATA_BAD: 'DATA_BAD',
  META_BAD: 'META_BAD',
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

export interface StateRecord {
  readonly status: EntryStatus;
  readonly epoch: number;
  readonly start: number;
  readonly count: number;
}

const UNKNOWN_RECORD: StateRecord = { status: EntryStatus.UNKNOWN, epoch: 0, start: 0, count: 0 };

/**
 * Classifies a state record (spec-core 3.6): epoch blank → FREE; epoch written but
 * start not → META_BAD; start written but count not → DATA_BAD; all three → USED.
 * A read error gives UNKNOWN.
 */
export function readStateRecord(flash: FlashPort, unitOffset: number): StateRecord {
  const scratch = new Uint8Array(UNIT_BYTES);
  const base = unitOffset * UNIT_BYTES;
  const epoch = readWord(flash, base, scratch);
  if (epoch === null) return UNKNOWN_RECORD;
  if (epoch.kind === 'blank') return { status: EntryStatus.FREE, epoch: 0, start: 0, count: 0 };
  const start = readWord(flash, base + UNIT_BYTES, scratch);
  if (start === null) return UNKNOWN_RECORD;
  const epochValue = epoch.kind === 'valid' ? epoch.value : 0;
  if (epoch.kind !== 'valid' || start.kind !== 'valid') {
    return { status: EntryStatus.META_BAD, epoch: epochValue, start: 0, count: 0 };
  }
  const count = readWord(flash, base + 2 * UNIT_BYTES, scratch);
  if (count === null) return UNKNOWN_RECORD;
  if (count.kind !== 'valid') return { status: EntryStatus.DATA_BAD, epoch: epochValue, start: start.value, count: 0 };
  return { status: EntryStatus.USED, epoch: epochValue, start: start.value, count: count.value };
}

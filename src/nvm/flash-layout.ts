import { WhError } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { UNIT_BYTES } from './flash-unit.js';

/**
 * On-flash layout of wolfHSM's two-partition NVM (wh_nvm_flash.c), in 8-byte units:
 * partition state (3 units), N directory entries of 7 units (state + 32-byte
 * metadata), then the data area. State words hold a value in the low 32 bits and
 * the magic 0x12345678 in the high 32 bits, so a written word never looks erased.
 * With the CRC16 option an object's start and count words keep only 0x1234 in the
 * top 16 bits and carry a CRC16 in bits 32..47 (metadata CRC in start, data CRC in count).
 */
export const STATE_MAGIC = 0x12345678;
export const CRC_WORD_TAG = 0x1234;
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

/** The high half of a state word: the magic, or in the CRC16 layout the tag and a CRC. */
export function wordHigh(crcLayout: boolean, crc: number): number {
  return crcLayout ? ((CRC_WORD_TAG << 16) | (crc & 0xffff)) >>> 0 : STATE_MAGIC;
}

/** Writes one state word into `out` at byte `at` (builds a whole entry without a buffer per word). */
export function putWord(out: DataView, at: number, low: number, high: number): void {
  out.setUint32(at, low >>> 0, true);
  out.setUint32(at + 4, high >>> 0, true);
}

function word(low: number, high: number): Uint8Array {
  const w = new Uint8Array(UNIT_BYTES);
  putWord(new DataView(w.buffer), 0, low, high);
  return w;
}

export function stateWord(value: number): Uint8Array {
  return word(value, STATE_MAGIC);
}

/** An object start or count word of the CRC16 layout: 0x1234 << 48 | crc << 32 | value. */
export function crcStateWord(value: number, crc: number): Uint8Array {
  return word(value, wordHigh(true, crc));
}

/** One state word as read: erased, or written with its two 32-bit halves. */
export type RawWord = { readonly kind: 'blank' } | { readonly kind: 'written'; readonly low: number; readonly high: number };

/** Reads one state word; null on a flash read error. */
export function readRawWord(flash: FlashPort, byteOffset: number, scratch: Uint8Array): RawWord | null {
  const rc = flash.blankCheck(byteOffset, UNIT_BYTES);
  if (rc === WhError.OK) return { kind: 'blank' };
  if (rc !== WhError.NOTBLANK) return null;
  if (flash.read(byteOffset, scratch) !== WhError.OK) return null;
  const v = new DataView(scratch.buffer, scratch.byteOffset, UNIT_BYTES);
  return { kind: 'written', low: v.getUint32(0, true), high: v.getUint32(4, true) };
}

/** A written word as 16 hex digits, high half first, the way wolfHSM's tests print them. */
export function formatWord(w: RawWord): string {
  if (w.kind === 'blank') return 'erased';
  return `0x${w.high.toString(16).padStart(8, '0')}${w.low.toString(16).padStart(8, '0')}`;
}

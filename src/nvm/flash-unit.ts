import { WhError, type WhRc } from '../errors.js';
import type { FlashPort } from '../ports/flash/flash-port.js';

/**
 * wolfHSM's flash-unit helpers (wh_flash_unit.c): 8-byte units, every unit
 * write-once between erases and read back after programming.
 */
export const UNIT_BYTES = 8;

export function bytesToUnits(bytes: number): number {
  return Math.ceil(bytes / UNIT_BYTES);
}

/** Blank check, program, verify: NOTBLANK leaves flash untouched, NOTVERIFIED reports a bad readback. */
export function programUnits(flash: FlashPort, unitOffset: number, data: Uint8Array): WhRc {
  const off = unitOffset * UNIT_BYTES;
  let rc = flash.blankCheck(off, data.length);
  if (rc !== WhError.OK) return rc;
  rc = flash.program(off, data);
  if (rc !== WhError.OK) return rc;
  return flash.verify(off, data);
}

/**
 * Programs `data` from a unit boundary: whole units in one call, then the
 * remainder padded with 0x00 (wolfHSM pads with zero, whatever the erased value).
 */
export function programBytes(flash: FlashPort, unitOffset: number, data: Uint8Array): WhRc {
  const whole = Math.floor(data.length / UNIT_BYTES) * UNIT_BYTES;
  if (whole > 0) {
    const rc = programUnits(flash, unitOffset, data.subarray(0, whole));
    if (rc !== WhError.OK) return rc;
  }
  if (whole < data.length) {
    const tail = new Uint8Array(UNIT_BYTES);
    tail.set(data.subarray(whole));
    return programUnits(flash, unitOffset + whole / UNIT_BYTES, tail);
  }
  return WhError.OK;
}

/** Erase then blank check; zero units touch nothing. */
export function eraseUnits(flash: FlashPort, unitOffset: number, units: number): WhRc {
  if (units === 0) return WhError.OK;
  const rc = flash.erase(unitOffset * UNIT_BYTES, units * UNIT_BYTES);
  if (rc !== WhError.OK) return rc;
  return flash.blankCheck(unitOffset * UNIT_BYTES, units * UNIT_BYTES);
}

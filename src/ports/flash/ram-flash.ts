import { WhError, type WhRc } from '../../errors.js';
import { inFlash, isErased, readFrom } from './flash-range.js';
import type { FlashPort } from './flash-port.js';

export interface RamFlashConfig {
  /** Total bytes of simulated memory. */
  readonly size: number;
  /** Erase granularity; also the partition size, as in wolfHSM's simulator. */
  readonly sectorSize: number;
  /** Program granularity: program sizes must be multiples of it. */
  readonly pageSize: number;
  /** Value of an erased byte (0xFF for NOR flash, 0x00 in some wolfHSM tests). */
  readonly erasedByte?: number;
  /** A saved image to boot from (a "reboot" onto earlier contents). */
  readonly initData?: Uint8Array;
}

/** Thrown only from the constructor: a simulator with an impossible geometry cannot exist. */
export class FlashConfigError extends Error {
  constructor(
    message: string,
    readonly rc: WhRc,
  ) {
    super(message);
    this.name = 'FlashConfigError';
  }
}

/**
 * RAM flash simulator with wolfHSM's semantics (wh_flash_ramsim.c): no bit-level
 * programming, a program onto non-erased bytes is refused with NOTBLANK, erase
 * works on whole sectors, one global write-lock flag.
 */
export class RamFlash implements FlashPort {
  readonly memory: Uint8Array;
  readonly sectorSize: number;
  readonly pageSize: number;
  readonly erasedByte: number;
  private locked = false;

  constructor(config: RamFlashConfig) {
    const { size, sectorSize, pageSize } = config;
    const erasedByte = config.erasedByte ?? 0xff;
    if (!(size > 0) || !(sectorSize > 0) || !(pageSize > 0) || sectorSize % pageSize !== 0) {
      throw new FlashConfigError('invalid RAM flash geometry', WhError.BADARGS);
    }
    this.memory = new Uint8Array(size);
    this.sectorSize = sectorSize;
    this.pageSize = pageSize;
    this.erasedByte = erasedByte & 0xff;
    if (config.initData) this.memory.set(config.initData.subarray(0, size));
    else this.memory.fill(this.erasedByte);
  }

  /** A copy of the whole memory, to "reboot" a new simulator onto. */
  snapshot(): Uint8Array {
    return this.memory.slice();
  }

  partitionSize(): number {
    return this.sectorSize;
  }

  private inBounds(offset: number, size: number): boolean {
    return inFlash(offset, size, this.memory.length);
  }

  read(offset: number, out: Uint8Array): WhRc {
    return readFrom(this.memory, offset, out);
  }

  program(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length) || data.length % this.pageSize !== 0) return WhError.BADARGS;
    if (this.blankCheck(offset, data.length) !== WhError.OK) return WhError.NOTBLANK;
    if (this.locked && data.length > 0) return WhError.LOCKED;
    this.memory.set(data, offset);
    return WhError.OK;
  }

  erase(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    if (offset % this.sectorSize !== 0 || size % this.sectorSize !== 0) return WhError.BADARGS;
    if (this.locked && size > 0) return WhError.LOCKED;
    this.memory.fill(this.erasedByte, offset, offset + size);
    return WhError.OK;
  }

  verify(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length)) return WhError.BADARGS;
    for (let i = 0; i < data.length; i++) {
      if (this.memory[offset + i] !== data[i]) return WhError.NOTVERIFIED;
    }
    return WhError.OK;
  }

  blankCheck(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    return isErased(this.memory, offset, size, this.erasedByte) ? WhError.OK : WhError.NOTBLANK;
  }

  writeLock(): WhRc {
    this.locked = true;
    return WhError.OK;
  }

  writeUnlock(): WhRc {
    this.locked = false;
    return WhError.OK;
  }

  cleanup(): WhRc {
    return WhError.OK;
  }
}

import { WhError, type WhRc } from '../../errors.js';
import type { FlashPort } from './flash-port.js';

export interface PowerCutPlan {
  /** The Nth write (program or erase, counted from 1) is the one cut. */
  readonly afterWrites: number;
  /**
   * Fraction of the cut write that still reaches the flash, as a prefix of the
   * bytes (0 = none, the default; 0.5 = a torn half-write). Flash programs and
   * erases proceed in address order, so a prefix is what a power cut leaves.
   */
  readonly tear?: number;
}

/**
 * Pass-through flash that simulates power loss: the planned write fails with
 * ABORTED (optionally after writing a prefix of it) and every later program or
 * erase fails too, as on a device whose power is gone. Reads keep working so a
 * test can snapshot the image and "reboot" from it.
 *
 * Also offers wolfHSM's own injector mode (`failProgramAt`): only the Nth
 * program fails, without writing, and later programs succeed.
 */
export class FaultFlash implements FlashPort {
  /** Program and erase calls seen so far. */
  writes = 0;
  programs = 0;
  powerCut = false;
  private plan: PowerCutPlan | null = null;
  private failProgram = 0;
  private failReadRange: { readonly offset: number; readonly size: number } | null = null;

  constructor(readonly inner: FlashPort) {}

  /** Cuts power at the given write; `null` disarms. */
  armPowerCut(plan: PowerCutPlan | null): void {
    this.plan = plan ? { ...plan, afterWrites: this.writes + plan.afterWrites } : null;
  }

  /** wolfHSM's failAfterPrograms: the Nth program from now returns ABORTED without writing. */
  failProgramAt(n: number): void {
    this.failProgram = n;
  }

  /** Every read overlapping the byte range answers ABORTED (a bad sector); `null` heals it. */
  failReadsIn(range: { readonly offset: number; readonly size: number } | null): void {
    this.failReadRange = range;
  }

  private cut(size: number, writePrefix: (len: number) => void): WhRc {
    this.powerCut = true;
    const tear = this.plan?.tear ?? 0;
    const len = Math.floor(size * Math.max(0, Math.min(1, tear)));
    if (len > 0) writePrefix(len);
    return WhError.ABORTED;
  }

  partitionSize(): number {
    return this.inner.partitionSize();
  }

  read(offset: number, out: Uint8Array): WhRc {
    const bad = this.failReadRange;
    if (bad && out.length > 0 && offset < bad.offset + bad.size && bad.offset < offset + out.length) return WhError.ABORTED;
    return this.inner.read(offset, out);
  }

  program(offset: number, data: Uint8Array): WhRc {
    if (this.powerCut) return WhError.ABORTED;
    this.writes++;
    this.programs++;
    if (this.failProgram > 0 && --this.failProgram === 0) return WhError.ABORTED;
    if (this.plan && this.writes === this.plan.afterWrites) {
      return this.cut(data.length, (len) => rawWrite(this.inner, offset, data.subarray(0, len)));
    }
    return this.inner.program(offset, data);
  }

  erase(offset: number, size: number): WhRc {
    if (this.powerCut) return WhError.ABORTED;
    this.writes++;
    if (this.plan && this.writes === this.plan.afterWrites) {
      return this.cut(size, (len) => rawErase(this.inner, offset, len));
    }
    return this.inner.erase(offset, size);
  }

  verify(offset: number, data: Uint8Array): WhRc {
    return this.inner.verify(offset, data);
  }

  blankCheck(offset: number, size: number): WhRc {
    return this.inner.blankCheck(offset, size);
  }

  writeLock(offset: number, size: number): WhRc {
    return this.inner.writeLock(offset, size);
  }

  writeUnlock(offset: number, size: number): WhRc {
    return this.inner.writeUnlock(offset, size);
  }

  cleanup(): WhRc {
    return this.inner.cleanup();
  }
}

/** Flash that exposes its raw bytes, so a torn write can land at byte granularity. */
export interface RawMemoryFlash {
  readonly memory: Uint8Array;
  readonly erasedByte: number;
}

function hasMemory(f: FlashPort): f is FlashPort & RawMemoryFlash {
  return 'memory' in f && (f as Partial<RawMemoryFlash>).memory instanceof Uint8Array;
}

// A torn write is whatever bytes made it, page-aligned or not, so it bypasses the
// device's program rules. Only simulated memory can be torn; on other flashes a
// cut write simply does not happen.
function rawWrite(flash: FlashPort, offset: number, bytes: Uint8Array): void {
  if (hasMemory(flash)) flash.memory.set(bytes, offset);
}

function rawErase(flash: FlashPort, offset: number, len: number): void {
  if (hasMemory(flash)) flash.memory.fill(flash.erasedByte, offset, offset + len);
}

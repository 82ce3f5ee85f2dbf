import * as fs from 'node:fs';
import { WhError, type WhFailure, type WhRc } from '../../errors.js';
import type { FlashPort } from './flash-port.js';

export interface FileFlashConfig {
  /** Backing file; it holds both partitions, 2 × partitionSize bytes. */
  readonly path: string;
  /** Bytes per partition (a multiple of 8). */
  readonly partitionSize: number;
  /** Erased value written into a new file and by erase. Default 0xFF. */
  readonly erasedByte?: number;
  /** Create the file, fully erased, when it does not exist. Default true. */
  readonly create?: boolean;
  /** fdatasync after every program/erase so data is on disk when the call returns. Default true. */
  readonly durable?: boolean;
}

export type FileFlashOpen =
  | { readonly rc: 0; readonly flash: FileFlash }
  | { readonly rc: WhFailure; readonly message: string };

const MAX_PARTITION = 0x7fffffff;

/**
 * Flash over a file, for real persistence (port/posix/posix_flash_file.c).
 *
 * Reads are served from an in-memory mirror that every write goes through, so
 * the file is read once at open. Like the C port it starts write-locked (NVM
 * init unlocks it) and does not blank-check on program (the unit layer does).
 * Unlike the C port, a file of the wrong size is refused rather than silently
 * extended or truncated: that is another geometry's image, not ours to reshape.
 */
export class FileFlash implements FlashPort {
  private locked = true;
  private fd: number | null;

  private constructor(
    readonly path: string,
    private readonly mirror: Uint8Array,
    fd: number,
    private readonly partSize: number,
    readonly erasedByte: number,
    private readonly durable: boolean,
  ) {
    this.fd = fd;
  }

  static open(config: FileFlashConfig): FileFlashOpen {
    const { path, partitionSize } = config;
    const erasedByte = (config.erasedByte ?? 0xff) & 0xff;
    if (!Number.isInteger(partitionSize) || partitionSize <= 0 || partitionSize % 8 !== 0 || partitionSize > MAX_PARTITION) {
      return { rc: WhError.BADARGS, message: `partition size ${partitionSize} is not a positive multiple of 8 below 2 GiB` };
    }
    const total = partitionSize * 2;
    let fd: number;
    try {
      if (!fs.existsSync(path)) {
        if (config.create === false) return { rc: WhError.NOTFOUND, message: `flash file ${path} does not exist` };
        fd = fs.openSync(path, 'wx+');
        const blank = new Uint8Array(Math.min(total, 1 << 20)).fill(erasedByte);
        for (let off = 0; off < total; off += blank.length) {
          fs.writeSync(fd, blank, 0, Math.min(blank.length, total - off), off);
        }
        fs.fsyncSync(fd);
      } else {
        fd = fs.openSync(path, 'r+');
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      const rc = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? WhError.ACCESS : WhError.ABORTED;
      return { rc, message: `cannot open flash file ${path}: ${code}` };
    }
    const size = fs.fstatSync(fd).size;
    if (size !== total) {
      fs.closeSync(fd);
      return { rc: WhError.BADARGS, message: `flash file ${path} is ${size} bytes, expected ${total} (2 × ${partitionSize})` };
    }
    const mirror = new Uint8Array(total);
    let got = 0;
    while (got < total) {
      const n = fs.readSync(fd, mirror, got, total - got, got);
      if (n <= 0) break;
      got += n;
    }
    if (got !== total) {
      fs.closeSync(fd);
      return { rc: WhError.ABORTED, message: `flash file ${path}: short read (${got} of ${total} bytes)` };
    }
    return { rc: 0, flash: new FileFlash(path, mirror, fd, partitionSize, erasedByte, config.durable !== false) };
  }

  partitionSize(): number {
    return this.partSize;
  }

  private inBounds(offset: number, size: number): boolean {
    return Number.isInteger(offset) && Number.isInteger(size) && offset >= 0 && size >= 0 && offset + size <= this.mirror.length;
  }

  private writeThrough(offset: number, bytes: Uint8Array): WhRc {
    if (this.fd === null) return WhError.ABORTED;
    try {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, offset + done);
      if (this.durable) fs.fdatasyncSync(this.fd);
    } catch {
      return WhError.ABORTED;
    }
    this.mirror.set(bytes, offset);
    return WhError.OK;
  }

  read(offset: number, out: Uint8Array): WhRc {
    if (!this.inBounds(offset, out.length)) return WhError.BADARGS;
    out.set(this.mirror.subarray(offset, offset + out.length));
    return WhError.OK;
  }

  program(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length)) return WhError.BADARGS;
    if (data.length === 0) return WhError.OK;
    if (this.locked) return WhError.LOCKED;
    return this.writeThrough(offset, data);
  }

  erase(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    if (size === 0) return WhError.OK;
    if (this.locked) return WhError.LOCKED;
    return this.writeThrough(offset, new Uint8Array(size).fill(this.erasedByte));
  }

  verify(offset: number, data: Uint8Array): WhRc {
    if (!this.inBounds(offset, data.length)) return WhError.BADARGS;
    for (let i = 0; i < data.length; i++) if (this.mirror[offset + i] !== data[i]) return WhError.NOTVERIFIED;
    return WhError.OK;
  }

  blankCheck(offset: number, size: number): WhRc {
    if (!this.inBounds(offset, size)) return WhError.BADARGS;
    for (let i = offset; i < offset + size; i++) if (this.mirror[i] !== this.erasedByte) return WhError.NOTBLANK;
    return WhError.OK;
  }

  writeLock(): WhRc {
    this.locked = true;
    return WhError.OK;
  }

  writeUnlock(): WhRc {
    this.locked = false;
    return WhError.OK;
  }

  /** Closes the file; later writes fail with ABORTED. Idempotent. */
  cleanup(): WhRc {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed by the OS: nothing left to release */
      }
      this.fd = null;
    }
    return WhError.OK;
  }
}

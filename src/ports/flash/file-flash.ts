import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { WhError, type WhFailure, type WhRc } from '../../errors.js';
import { inFlash, isErased, readFrom } from './flash-range.js';
import type { FlashPort } from './flash-port.js';

export interface FileFlashConfig {
  /** Backing file; it holds both partitions, 2 × partitionSize bytes. */
  readonly path: string;
  /** Bytes per partition (a multiple of 8). */
  readonly partitionSize: number;
  /** Erased value written into a new file and by erase. Default 0xFF. */
  readonly erasedByte?: number;
  /** Create the file, fully erased, when it does not exist (or is empty). Default true. */
  readonly create?: boolean;
  /** Replace the file, whatever it holds, by a fully erased one (a fresh store). Default false. */
  readonly recreate?: boolean;
  /** fdatasync after every program/erase so data is on disk when the call returns. Default true. */
  readonly durable?: boolean;
}

export type FileFlashOpen =
  | { readonly rc: 0; readonly flash: FileFlash }
  | { readonly rc: WhFailure; readonly message: string };

const MAX_PARTITION = 0x7fffffff;

const TEMP_MARK = '.creating-';

function tempPrefix(path: string): string {
  return `.${nodePath.basename(path)}${TEMP_MARK}`;
}

function isAbsentOrEmpty(path: string): boolean {
  try {
    return fs.statSync(path).size === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes temporary files that a creation interrupted by a crash left beside `path` (their process is gone). */
export function removeStaleTempFiles(path: string): void {
  const dir = nodePath.dirname(path);
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no directory: opening reports it
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) continue;
    fs.rmSync(nodePath.join(dir, name), { force: true });
  }
}

function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    // Some platforms cannot sync a directory (EISDIR/EINVAL/EPERM on Windows and some filesystems).
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * Writes a fully erased flash file atomically: a temporary file in the same directory,
 * synced, then moved into place and the directory synced. A crash at any point leaves
 * either no file (or the old one) or the complete new one, never a short file; a
 * leftover temporary file is removed by the next open. `if-absent` never replaces a
 * file another process created meanwhile (link refuses an existing name).
 */
export function writeErasedFile(path: string, size: number, erasedByte: number, mode: 'replace' | 'if-absent'): void {
  const dir = nodePath.dirname(path);
  const temp = nodePath.join(dir, `${tempPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  let open = true;
  try {
    const blank = new Uint8Array(Math.min(size, 1 << 20)).fill(erasedByte);
    for (let off = 0; off < size; ) {
      off += fs.writeSync(fd, blank, 0, Math.min(blank.length, size - off), off);
    }
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    if (mode === 'replace') fs.renameSync(temp, path);
    else {
      try {
        fs.linkSync(temp, path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // EEXIST: someone created it meanwhile, theirs stands. Filesystems without hard links: rename.
        if (code !== 'EEXIST') {
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
          fs.renameSync(temp, path);
        }
      }
    }
    fsyncDirectory(dir);
  } finally {
    if (open) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Flash over a file, for real persistence (port/posix/posix_flash_file.c).
 *
 * Reads are served from an in-memory mirror that every write goes through, so
 * the file is read once at open. Like the C port it starts write-locked (NVM
 * init unlocks it) and does not blank-check on program (the unit layer does).
 * Unlike the C port, a file of the wrong size is refused rather than silently
 * extended or truncated: that is another geometry's image, not ours to reshape.
 * A new file is created atomically (writeErasedFile); a 0-byte file counts as absent.
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
      removeStaleTempFiles(path);
      if (config.recreate === true) writeErasedFile(path, total, erasedByte, 'replace');
      else if (isAbsentOrEmpty(path)) {
        if (config.create === false) return { rc: WhError.NOTFOUND, message: `flash file ${path} does not exist (or is empty)` };
        // A 0-byte file holds no data (an interrupted creation by an older version): it counts as absent.
        writeErasedFile(path, total, erasedByte, fs.existsSync(path) ? 'replace' : 'if-absent');
      }
      fd = fs.openSync(path, 'r+');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      const rc = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? WhError.ACCESS : code === 'ENOENT' ? WhError.NOTFOUND : WhError.ABORTED;
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
    return inFlash(offset, size, this.mirror.length);
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
    return readFrom(this.mirror, offset, out);
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
    return isErased(this.mirror, offset, size, this.erasedByte) ? WhError.OK : WhError.NOTBLANK;
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

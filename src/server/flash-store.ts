import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { WhError } from '../errors.js';
import { NvmFlash } from '../nvm/nvm-flash.js';
import { isDurableFlash } from '../ports/flash/durable-flash.js';
import { acquireFlashFileLock, type FlashFileLock } from '../ports/flash/flash-file-lock.js';
import type { FlashPort } from '../ports/flash/flash-port.js';
import { FileFlash } from '../ports/flash/file-flash.js';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { EXAMPLE_SERVER_CONFIG } from './server-config.js';

export interface FlashStoreOptions {
  readonly path: string;
  /** Bytes per partition; the file holds two. */
  readonly partitionSize: number;
  /** Replace the file by an erased one (a new, empty store), whatever it holds. */
  readonly fresh: boolean;
  /** The store's CRC16 option (NvmFlashConfig.crc); must match how the file was written. Default false. */
  readonly crc?: boolean;
  /** Directory entries per partition; default the example server's (30). */
  readonly objectCount?: number;
  readonly erasedByte?: number;
  /**
   * Opens the checked file as the server's flash. Default: the FileFlash that was used
   * to check it (write-through). A write-behind opener goes here.
   */
  readonly openFlash?: (path: string, partitionSize: number) => Promise<FlashPort>;
}

export type FlashStoreOpen =
  | {
      readonly ok: true;
      readonly flash: FlashPort;
      /** The absolute path of the flash file. */
      readonly path: string;
      /** What the boot check recovered from (one line each), to log. */
      readonly warnings: readonly string[];
      /** Closes the flash (waiting for a write-behind flash to drain), then releases the lock. */
      close(): Promise<void>;
    }
  | { readonly ok: false; readonly error: string };

const FRESH_HINT = 'start with --fresh to erase it (its contents are lost)';

/** Checks a directory the flash file lives in; a string is the one-line error. */
function checkDirectory(dir: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `directory ${dir} does not exist` : `cannot use directory ${dir} (${code ?? 'EIO'})`;
  }
  if (!st.isDirectory()) return `${dir} is not a directory`;
  return null;
}

function checkExistingFile(file: string, fresh: boolean): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null; // absent: it will be created
  }
  if (!st.isFile()) return `flash file ${file} is not a regular file`;
  if (fresh) return null;
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return `flash file ${file} is not readable and writable by this user (permissions)`;
  }
  return null;
}

/** Boots an NVM store on an in-memory copy of the flash: never writes the file. */
function checkBoot(flash: FlashPort, o: FlashStoreOptions): { ok: true; warnings: readonly string[] } | { ok: false; problem: string } {
  const image = new Uint8Array(2 * o.partitionSize);
  if (flash.read(0, image) !== WhError.OK) return { ok: false, problem: 'cannot read it' };
  const copy = new RamFlash({ size: image.length, sectorSize: o.partitionSize, pageSize: 8, erasedByte: o.erasedByte ?? 0xff, initData: image });
  const nvm = new NvmFlash(copy, { objectCount: o.objectCount ?? EXAMPLE_SERVER_CONFIG.nvmObjectCount, crc: o.crc ?? false });
  if (nvm.init() !== WhError.OK) return { ok: false, problem: nvm.initProblem ?? 'the NVM store does not boot' };
  return { ok: true, warnings: nvm.initWarnings };
}

/**
 * Opens the server's flash file safely: locks it against a second server, creates it
 * atomically when absent (or recreates it for `fresh`), and checks that the NVM store
 * on it boots, without formatting anything that holds data. Every failure is one line
 * saying what is wrong and what to do.
 */
export async function openFlashStore(o: FlashStoreOptions): Promise<FlashStoreOpen> {
  const file = nodePath.resolve(o.path);
  const dirProblem = checkDirectory(nodePath.dirname(file));
  if (dirProblem) return { ok: false, error: `cannot open flash ${file}: ${dirProblem}` };

  const lock = await acquireFlashFileLock(file);
  if ('error' in lock) return { ok: false, error: lock.error };
  const failWith = async (error: string): Promise<FlashStoreOpen> => {
    await lock.release();
    return { ok: false, error };
  };

  const fileProblem = checkExistingFile(file, o.fresh);
  if (fileProblem) return failWith(fileProblem);

  const opened = FileFlash.open({
    path: file,
    partitionSize: o.partitionSize,
    recreate: o.fresh,
    ...(o.erasedByte !== undefined ? { erasedByte: o.erasedByte } : {}),
  });
  if (opened.rc !== 0) {
    if (opened.rc === WhError.BADARGS && fs.existsSync(file)) {
      return failWith(`${opened.message}: not a flash store of this size (another partition size, or not a flash file); ${FRESH_HINT}`);
    }
    if (opened.rc === WhError.ACCESS) return failWith(`${opened.message} (permissions: the file and its directory must be writable)`);
    return failWith(opened.message);
  }

  const checked = checkBoot(opened.flash, o);
  if (!checked.ok) {
    opened.flash.cleanup();
    return failWith(`flash file ${file} holds a store that does not boot: ${checked.problem} (${FRESH_HINT})`);
  }

  let flash: FlashPort = opened.flash;
  if (o.openFlash) {
    opened.flash.cleanup();
    try {
      flash = await o.openFlash(file, o.partitionSize);
    } catch (e) {
      return failWith(`cannot open flash file ${file}: ${(e as Error).message}`);
    }
  }
  return { ok: true, flash, path: file, warnings: checked.warnings, close: () => closeStore(flash, lock) };
}

async function closeStore(flash: FlashPort, lock: FlashFileLock): Promise<void> {
  try {
    if (isDurableFlash(flash)) await flash.close();
    else flash.cleanup();
  } finally {
    await lock.release();
  }
}

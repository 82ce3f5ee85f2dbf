import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as nodePath from 'node:path';

/** Held while a server uses a flash file; release it once the file is closed. */
export interface FlashFileLock {
  /** How the lock is held, for logs: the abstract socket name or the lock file path. */
  readonly token: string;
  release(): Promise<void>;
}

export type FlashFileLockResult = FlashFileLock | { readonly error: string };

/** Where the lock of `path` lives: its directory resolved through symlinks, plus its name. */
function canonical(path: string): string {
  const abs = nodePath.resolve(path);
  return nodePath.join(fs.realpathSync(nodePath.dirname(abs)), nodePath.basename(abs));
}

/**
 * Takes an exclusive lock on a flash file, so a second server (another process, or a
 * second open in this one) refuses it instead of interleaving writes with the first.
 *
 * Node has no flock. On Linux the lock is a Unix socket bound in the abstract
 * namespace under a hash of the file's canonical path: binding is atomic (EADDRINUSE
 * when held, even within one process) and the kernel frees the name when the process
 * dies, SIGKILL included, so a crash never leaves a stale lock. Elsewhere it is an
 * O_EXCL `<file>.lock` holding the owner's pid; a lock whose pid is dead is stale and
 * taken over.
 */
export async function acquireFlashFileLock(path: string): Promise<FlashFileLockResult> {
  let file: string;
  try {
    file = canonical(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    return { error: `cannot lock flash file ${path}: its directory ${nodePath.dirname(nodePath.resolve(path))} is not accessible (${code})` };
  }
  return process.platform === 'linux' ? abstractSocketLock(file) : pidFileLock(file);
}

function abstractSocketLock(file: string): Promise<FlashFileLockResult> {
  const name = `\0actorhsm-flash:${createHash('sha256').update(file).digest('hex')}`;
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      resolve({
        error:
          e.code === 'EADDRINUSE'
            ? `flash file ${file} is in use by another actorhsm server (or another open in this process); stop it first`
            : `cannot lock flash file ${file}: ${e.code ?? e.message}`,
      });
    });
    server.listen({ path: name }, () => {
      // The lock must not keep the process alive by itself.
      server.unref();
      let released: Promise<void> | null = null;
      resolve({
        token: `abstract socket @actorhsm-flash:${name.slice(16, 28)}…`,
        release: () => (released ??= new Promise<void>((done) => server.close(() => done()))),
      });
    });
  });
}

function readPid(lockPath: string): number | null {
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The portable fallback; exported for tests on Linux. */
export async function pidFileLock(file: string): Promise<FlashFileLockResult> {
  const lockPath = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released: Promise<void> | null = null;
      return {
        token: lockPath,
        release: () =>
          (released ??= (async () => {
            if (readPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
          })()),
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return { error: `cannot lock flash file ${file}: cannot create ${lockPath} (${code ?? 'EIO'})` };
      const pid = readPid(lockPath);
      // A pid file is written right after it is created: an empty one may be a racing creator, so it is not stale.
      if (pid !== null && !alive(pid)) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      const who = pid === null ? 'another actorhsm server' : pid === process.pid ? 'this process' : `actorhsm server pid ${pid}`;
      return { error: `flash file ${file} is in use by ${who} (lock file ${lockPath}); stop it first` };
    }
  }
  return { error: `cannot lock flash file ${file}: ${lockPath} keeps reappearing` };
}

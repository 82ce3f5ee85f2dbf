#!/usr/bin/env node
/**
 * `npm start`'s pre-step: build dist/ only when a source changed since the last build.
 * `npm ci` already builds (the `prepare` script), so a fresh clone starts at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest modification time (ms) of a file or of any file under a directory; 0 if absent. */
export function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

/** What a build depends on, relative to the package root. */
export const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** Written after every successful build. */
export const STAMP = join('dist', '.build-stamp');

/** True when dist/ is missing or older than one of the inputs. */
export function isStale(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((p) => newest(join(root, p)) > built);
}

/** Builds when stale; answers the exit code. */
export function buildIfStale(root) {
  if (!isStale(root)) return 0;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(buildIfStale(fileURLToPath(new URL('..', import.meta.url))));

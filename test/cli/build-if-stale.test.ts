import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script (it must run before anything is compiled)
import { isStale } from '../../scripts/build-if-stale.mjs';

const stale = isStale as (root: string) => boolean;
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tree(): string {
  root = mkdtempSync(join(tmpdir(), 'actorhsm-stamp-'));
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  for (const f of ['src/a.ts', 'src/deep/b.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']) writeFileSync(join(root, f), 'x');
  return root;
}
const at = (path: string, s: number) => utimesSync(join(root, path), s, s);

describe('npm start builds only when something changed (scripts/build-if-stale.mjs)', () => {
  it('no stamp: stale; a stamp newer than every input: fresh; any newer input (deep source, config, lockfile): stale again', () => {
    tree();
    expect(stale(root)).toBe(true);
    writeFileSync(join(root, 'dist/.build-stamp'), 'built');
    for (const f of ['src/a.ts', 'src/deep/b.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']) at(f, 1_000_000);
    at('dist/.build-stamp', 2_000_000);
    expect(stale(root)).toBe(false);
    for (const f of ['src/deep/b.ts', 'tsconfig.build.json', 'package-lock.json']) {
      at(f, 3_000_000);
      expect({ f, stale: stale(root) }).toEqual({ f, stale: true });
      at(f, 1_000_000);
    }
    expect(stale(root)).toBe(false);
  });
});

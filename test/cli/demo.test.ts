import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { runNvmDemo } from '../../src/cli/demo.js';

it('the start demo adds, lists, reads and destroys objects on a file flash, twice in a row', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-demo-'));
  try {
    for (let round = 0; round < 2; round++) {
      const lines: string[] = [];
      expect(runNvmDemo({ flashPath: path.join(dir, 'demo.flash'), log: (l) => lines.push(l) })).toBe(0);
      expect(lines).toContain('list -> [1, 2, 3]');
      expect(lines).toContain('read object 2 (label2): "a longer second object"');
      expect(lines.find((l) => l.startsWith('read object 1 after destroy'))).toMatch(/NOTFOUND$/);
      expect(lines.at(-1)).toMatch(/free again: \d+ bytes, 32 entries/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

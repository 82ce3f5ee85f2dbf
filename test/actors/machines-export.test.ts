import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { exportMachines } from '../../src/cli/export-machines.js';

it('exports every machine as visualizer JSON, identical to the committed docs/machines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-machines-'));
  try {
    const files = exportMachines(dir);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['client-session.json', 'nvm-owner.json']);
    for (const f of files) {
      const json = JSON.parse(fs.readFileSync(f, 'utf8'));
      expect(Object.keys(json.states).length).toBeGreaterThanOrEqual(3);
      expect(fs.readFileSync(f, 'utf8')).toBe(fs.readFileSync(path.join('docs/machines', path.basename(f)), 'utf8'));
    }
    const owner = JSON.parse(fs.readFileSync(path.join(dir, 'nvm-owner.json'), 'utf8'));
    expect(Object.keys(owner.states).sort()).toEqual(['contended', 'handover', 'leased', 'serving', 'stopped']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

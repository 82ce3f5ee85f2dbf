import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownerMachine } from '../actors/owner-machine.js';
import { sessionMachine } from '../actors/session-machine.js';

/** Every machine's definition, as xstate serialises it for tools such as the Stately visualizer. */
export const MACHINES = { 'nvm-owner': ownerMachine, 'client-session': sessionMachine } as const;

export function exportMachines(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(MACHINES).map(([name, machine]) => {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(machine.toJSON(), null, 2)}\n`);
    return file;
  });
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  for (const f of exportMachines(process.argv[2] ?? 'docs/machines')) console.log(`wrote ${f}`);
}

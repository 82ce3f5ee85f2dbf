#!/usr/bin/env node
import * as path from 'node:path';
import { runNvmDemo } from './demo.js';

const USAGE = `usage: actorhsm [demo] [--flash <file>]

  demo     add, list, read and destroy NVM objects on a file-backed flash (default)
  --flash  flash file to use (default ./actorhsm-demo.flash)`;

function main(argv: string[]): number {
  const args = [...argv];
  const command = args[0] && !args[0].startsWith('-') ? args.shift()! : 'demo';
  let flash = path.resolve('actorhsm-demo.flash');
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--flash' && args[0]) flash = path.resolve(args.shift()!);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (command !== 'demo') {
    console.error(`unknown command ${command}\n${USAGE}`);
    return 2;
  }
  return runNvmDemo({ flashPath: flash, log: (l) => console.log(l) });
}

process.exitCode = main(process.argv.slice(2));

#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runNvmDemo } from './demo.js';
import { createLogger } from './logger.js';
import { SERVE_USAGE, parseServeFlags, serve } from './serve.js';

const USAGE = `usage: actorhsm [serve] [flags]      run the server (default)
       actorhsm --version            print the version
       actorhsm demo [--flash FILE]  add, list, read and destroy NVM objects on a file flash

${SERVE_USAGE}`;

/** The package's version, from its package.json (beside dist/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `actorhsm ${pkg.version}`;
}

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const command = args[0] && !args[0].startsWith('-') ? args.shift()! : 'serve';
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.includes('--version') || args.includes('-v')) {
    console.log(version());
    return 0;
  }
  if (command === 'demo') {
    const i = args.indexOf('--flash');
    return runNvmDemo({ flashPath: path.resolve(i >= 0 && args[i + 1] ? args[i + 1]! : 'actorhsm-demo.flash'), log: (l) => console.log(l) });
  }
  if (command !== 'serve') {
    console.error(`unknown command ${command}\n${USAGE}`);
    return 2;
  }
  const opts = parseServeFlags(args, process.env);
  if (typeof opts === 'string') {
    console.error(`${opts}\n${USAGE}`);
    return 2;
  }
  const log = createLogger(opts.logFormat ?? 'text');
  // Listen for signals before starting: a SIGTERM right after the listening line
  // would otherwise meet no handler and kill the process without a clean stop.
  const signalled = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  try {
    const running = await serve(opts, log);
    await signalled;
    await running.stop();
    return 0;
  } catch (e) {
    console.error(`actorhsm: ${(e as Error).message}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

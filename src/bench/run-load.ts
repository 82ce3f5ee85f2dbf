import { fork } from 'node:child_process';
import type { LoadJob, LoadReport, LoadWorkload } from './load-client.js';

/** Runs one load job in its own process (load-client.ts) against `port`, so client CPU stays off the server's loop. */
export function runLoad(port: number, workload: LoadWorkload, clients: number, firstId: number, seconds: number): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-client.js', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (r) => {
      resolve(r as LoadReport);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => code && reject(new Error(`load client exited ${code}`)));
    child.send({ port, host: '127.0.0.1', workload, clients, firstId, durationMs: seconds * 1000 } satisfies LoadJob);
  });
}

/** Requests per second of a finished job. */
export const loadRate = (r: LoadReport) => r.requests / r.seconds;

import { availableParallelism, loadavg } from 'node:os';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { createHsmServer } from '../server/hsm-server.js';
import { listenTcp } from '../server/tcp-listener.js';
import { PK_OPS, type PkOpName } from './pk-ops.js';
import { loadRate, runLoad } from './run-load.js';

export interface PkBenchFlags {
  /** Seconds per measurement. */
  readonly seconds: number;
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
const f2 = (n: number) => n.toFixed(2).padStart(6);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Synchronous calls of `f` for `seconds` after a discarded warm-up; calls/s. */
function directRate(f: () => unknown, seconds: number): number {
  for (let t = performance.now() + 200; performance.now() < t; ) f();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() < t0 + seconds * 1000) {
    f();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** The operations of the first table, in the order, as far as they exist in PK_OPS. */
const SIGNERS: readonly [PkOpName, string][] = [
  ['ecdsa-p256-sign', 'ECDSA P-256 sign'],
  ['ed25519-sign', 'Ed25519 sign'],
  ['mldsa65-sign', 'ML-DSA-65 sign'],
  ['rsa2048-private', 'RSA-2048 private op'],
];
const SCALING: readonly PkOpName[] = ['rsa2048-private', 'mldsa65-sign'];

/** The Crypto II figures, as ratios measured in this run (never asserted by tests). */
export async function pkBench(flags: PkBenchFlags): Promise<void> {
  const s = flags.seconds;
  console.log(`\npublic-key crypto (${availableParallelism()} cores; load average ${load()}); TCP, clients in separate load processes, default engine (worker pool), ${s} s each`);
  const server = createHsmServer({ flash: new RamFlash({ size: 2 * 131072, sectorSize: 131072, pageSize: 8 }), config: { keyCacheBigBufSize: 8192 } });
  const listener = await listenTcp(server, { port: 0, maxClients: 64 });
  const port = listener.port;
  try {
    console.log('1. through the server (1 and 4 clients) beside the same library called directly on one thread (goal >= 0.80)');
    console.log('   operation                  direct ops/s   server 1 client  ratio   server 4 clients  ratio');
    for (const [op, name] of SIGNERS) {
      await runLoad(port, op, 1, 1, Math.min(1, s / 3)); // warm-up: JIT, worker start
      const one = await runLoad(port, op, 1, 1, s);
      const four = await runLoad(port, op, 4, 1, s);
      if (one.errors || four.errors) throw new Error(`pk bench: ${one.errors + four.errors} failed ${op}`);
      const direct = directRate(PK_OPS[op].direct(), s);
      console.log(`   ${name.padEnd(24)} ${f0(direct)}        ${f0(loadRate(one))}     ${f2(loadRate(one) / direct)}        ${f0(loadRate(four))}    ${f2(loadRate(four) / direct)}`);
    }
    console.log('   One client pays a TCP round trip, two owner messages and a worker hop per operation; four keep both cores busy.');

    console.log(`2. scaling with the worker pool (${availableParallelism()} threads): ops/s at 1, 2 and 4 clients (goal at 2 clients >= 1.60x one client)`);
    for (const op of SCALING) {
      const rates: number[] = [];
      for (const n of [1, 2, 4]) rates.push(loadRate(await runLoad(port, op, n, 1, s)));
      console.log(`   ${op.padEnd(24)} ${rates.map(f0).join(' ')}   2 clients / 1: ${f2(rates[1]! / rates[0]!)}, 4 / 1: ${f2(rates[2]! / rates[0]!)}`);
    }

    // 3. Alone and busy rounds alternate; each side reports its median round (see the durability bench).
    const rounds = 3;
    const per = Math.max(2, s / rounds);
    const alone: number[] = [];
    const busy: number[] = [];
    const spun: number[] = [];
    let keygens = 0;
    let alongside = 0;
    await runLoad(port, 'echo', 1, 1, 1);
    for (let r = 0; r < rounds; r++) {
      alone.push((await runLoad(port, 'echo', 1, 1, per)).p99);
      const [b, k] = await Promise.all([runLoad(port, 'echo', 1, 1, per), runLoad(port, 'rsa4096-keygen', 4, 2, per)]);
      busy.push(b.p99);
      keygens += k.requests;
      // The floor: the same key generation in two other processes at the workers' niceness, no server work.
      const [f, g1, g2] = await Promise.all([runLoad(port, 'echo', 1, 1, per), runLoad(port, 'keygen-alone', 1, 6, per), runLoad(port, 'keygen-alone', 1, 7, per)]);
      spun.push(f.p99);
      alongside += g1.requests + g2.requests;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`3. ECHO (16 B) p99 of one client, alone and while 4 clients generate RSA-4096 keys (${keygens} generated), median of ${rounds} alternating rounds of ${per.toFixed(1)} s`);
    console.log(`   alone p99 ${median(alone).toFixed(2)} ms (rounds ${alone.map((x) => x.toFixed(2)).join(' ')}), beside keygen p99 ${median(busy).toFixed(2)} ms (rounds ${busy.map((x) => x.toFixed(2)).join(' ')})`);
    console.log(`   beside two other processes generating RSA-4096 keys at the workers' niceness (${alongside} keys, no server work) p99 ${median(spun).toFixed(2)} ms (rounds ${spun.map((x) => x.toFixed(2)).join(' ')})`);
    console.log(`   p99 beside / alone (goal <= 2.00): ${f2(median(busy) / median(alone))}   (beside the same key generation outside the server: ${f2(median(spun) / median(alone))})`);
  } finally {
    await listener.close();
    await server.close();
  }
}

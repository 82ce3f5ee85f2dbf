import { Owner } from '../actors/owner.js';
import { ownerState, runOwnerOp, type OwnerOp, type OwnerOpArgs, type OwnerOpKind, type OwnerOpResult, type OwnerState } from '../actors/owner-ops.js';
import { HsmClient } from '../client/hsm-client.js';
import { counterInit, counterNvmId } from '../core/counter.js';
import { dispatchPacket } from '../handlers/dispatch.js';
import type { OwnerPort, SessionState } from '../handlers/handler-types.js';
import { makeMetadata } from '../nvm/metadata.js';
import { Nvm } from '../nvm/nvm.js';
import { NvmFlash } from '../nvm/nvm-flash.js';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { decodePacket } from '../protocol/header.js';
import { createMemoryLink } from '../ports/transport/memory-transport.js';
import { concatMap } from 'rxjs';
import { createHsmServer } from '../server/hsm-server.js';
import { AsyncMutex } from './async-mutex.js';
import { xstateToggleLease } from './xstate-ceiling.js';
import { tcpBench } from './tcp.js';
import { tcpBaselineBench } from './tcp-baseline.js';
import { checkerBench } from './checker.js';
import { durabilityBench } from './durability.js';
import { cryptoBench } from './crypto.js';
import { pkBench } from './crypto-pk.js';
import { WhError } from '../errors.js';
import { KeyCache } from '../keystore/key-cache.js';
import { keyCacheConfig, serverConfig } from '../server/server-config.js';

interface Flags {
  /** porcupine's histories (test/fixtures/porcupine). */
  data: string;
  ops: number;
  clients: number[];
  rounds: number;
  /** Seconds per load measurement (durability and tcpbase sections). */
  seconds: number;
  floodSeconds: number;
  /** Only these sections (default all): core,requests,lease,tcp,tcpbase,durability,crypto,pk,checker. */
  only: string[] | null;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { data: 'test/fixtures/porcupine', ops: 20000, clients: [1, 4, 15], rounds: 3, seconds: 5, floodSeconds: 30, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--ops' && v) (f.ops = Number(v)), i++;
    else if (a === '--clients' && v) (f.clients = v.split(',').map(Number)), i++;
    else if (a === '--rounds' && v) (f.rounds = Number(v)), i++;
    else if (a === '--data' && v) (f.data = v), i++;
    else if (a === '--seconds' && v) (f.seconds = Number(v)), i++;
    else if (a === '--flood-seconds' && v) (f.floodSeconds = Number(v)), i++;
    else if (a === '--only' && v) (f.only = v.split(',')), i++;
    else if (a === '--help') {
      console.log('usage: npm run bench -- [--ops N] [--clients 1,4,15] [--rounds R] [--seconds S] [--flood-seconds S] [--only core,requests,lease,tcp,tcpbase,durability,crypto,pk,checker] [--data test/fixtures/porcupine]');
      process.exit(0);
    }
  }
  return f;
}

const PARTITION = 128 * 1024;

function freshNvm(): Nvm {
  const nvm = new Nvm();
  const rc = nvm.init(new NvmFlash(new RamFlash({ size: PARTITION * 2, sectorSize: PARTITION, pageSize: 8 }), { objectCount: 32 }));
  if (rc !== 0) throw new Error(`nvm init ${rc}`);
  nvm.addObject(makeMetadata({ id: 1, label: 'bench' }), new Uint8Array(16).fill(7));
  counterInit(nvm, counterNvmId(0, 1), 0);
  return nvm;
}

type Workload = { name: string; op: (i: number) => OwnerOp };
const WORKLOADS: Workload[] = [
  { name: 'nvm read (16 B)', op: () => ({ kind: 'nvm.readClamped', args: { id: 1, offset: 0, len: 16 } }) },
  {
    name: 'nvm add/replace (32 B)',
    op: (i) => ({ kind: 'nvm.addObjectWithReclaim', args: { meta: makeMetadata({ id: 2 + (i % 4) }), data: new Uint8Array(32).fill(i & 0xff) } }),
  },
  { name: 'counter increment', op: () => ({ kind: 'counter.increment', args: { nvmId: counterNvmId(0, 1) } }) },
];

/** Runs `total` operations split over `clients` concurrent workers; returns ops/s. */
async function measure(clients: number, total: number, run: (worker: number, i: number) => unknown): Promise<number> {
  const per = Math.ceil(total / clients);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = 0; i < per; i++) await run(w, i);
    }),
  );
  return (per * clients) / ((performance.now() - t0) / 1000);
}

/** Best of the measured rounds; round 0 is a discarded warm-up so every path is JIT-compiled first. */
function best(xs: number[]): number {
  return Math.max(...xs.slice(xs.length > 1 ? 1 : 0));
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11);
const ratio = (a: number, b: number) => (a / b).toFixed(2).padStart(6);

async function core(flags: Flags, quiet = false): Promise<void> {
  const log = quiet ? () => {} : console.log;
  log('\nowner operations (ops/s, best of rounds)');
  log('workload                  clients      direct    mutex    actor   actor/mutex  direct/actor');
  for (const w of WORKLOADS) {
    for (const clients of flags.clients) {
      const direct: number[] = [];
      const mutex: number[] = [];
      const actor: number[] = [];
      for (let r = 0; r <= flags.rounds; r++) {
        {
          const state = ownerState(freshNvm());
          const t0 = performance.now();
          for (let i = 0; i < flags.ops; i++) runOwnerOp(state, w.op(i));
          direct.push(flags.ops / ((performance.now() - t0) / 1000));
        }
        {
          const state = ownerState(freshNvm());
          const m = new AsyncMutex();
          mutex.push(await measure(clients, flags.ops, (_w, i) => m.run(() => runOwnerOp(state, w.op(i)))));
        }
        {
          const owner = new Owner({ nvm: freshNvm() });
          const op = w.op;
          const lessees = Array.from({ length: clients }, (_, k) => owner.connect(`c${k}`));
          actor.push(
            await measure(clients, flags.ops, (wk, i) => {
              const o = op(i);
              return lessees[wk]!.call(o.kind, o.args as never);
            }),
          );
          owner.stop();
        }
      }
      const d = best(direct);
      const m = best(mutex);
      const a = best(actor);
      log(`${w.name.padEnd(24)} ${String(clients).padStart(4)} ${fmt(d)}${fmt(m)}${fmt(a)}   ${ratio(a, m)}        ${ratio(d, a)}`);
    }
  }
}

/** The conventional server: the same handlers, with an async mutex around each owner call instead of an actor. */
function mutexPort(state: OwnerState): OwnerPort {
  const m = new AsyncMutex();
  return {
    call<K extends OwnerOpKind>(_lessee: string, kind: K, args: OwnerOpArgs<K>): Promise<OwnerOpResult<K>> {
      return m.run(() => runOwnerOp(state, { kind, args } as OwnerOp) as OwnerOpResult<K>);
    },
    // The READ workload never leases; a conventional server would hold the mutex here.
    acquireLease: () => Promise.resolve(WhError.NOTIMPL),
    releaseLease: () => Promise.resolve(WhError.OK),
  };
}

async function requests(flags: Flags): Promise<void> {
  console.log('\nwhole requests, in-memory transport, one request stream per client (requests/s, NVM READ of 16 B)');
  console.log('clients   mutex handlers   actor server   actor/mutex');
  const config = serverConfig({ nvmObjectCount: 32 });
  for (const clients of flags.clients) {
    const mut: number[] = [];
    const act: number[] = [];
    for (let r = 0; r <= flags.rounds; r++) {
      {
        const port = mutexPort(ownerState(freshNvm()));
        // Same memory link and per-connection request stream as the actor server; only the owner differs.
        const cs = Array.from({ length: clients }, (_, i) => {
          const session: SessionState = { sessionId: `m${i}`, clientId: 0, closing: false, localCache: new KeyCache(keyCacheConfig(config)) };
          const link = createMemoryLink();
          link.server.packets$
            .pipe(concatMap(async (p) => link.server.send(await dispatchPacket({ session, owner: port, config }, decodePacket(p)!))))
            .subscribe();
          return new HsmClient(link.client);
        });
        mut.push(await measure(clients, flags.ops, (w) => cs[w]!.nvmRead(1, 0, 16)));
      }
      {
        const flash = new RamFlash({ size: PARTITION * 2, sectorSize: PARTITION, pageSize: 8 });
        const server = createHsmServer({ flash, config: { nvmObjectCount: 32 } });
        await server.nvmFor('setup').addObject(makeMetadata({ id: 1 }), new Uint8Array(16).fill(7));
        const cs = Array.from({ length: clients }, () => new HsmClient(server.connectMemory().client));
        act.push(await measure(clients, flags.ops, (w) => cs[w]!.nvmRead(1, 0, 16)));
        server.stop();
      }
    }
    console.log(`${String(clients).padStart(7)} ${fmt(best(mut))}    ${fmt(best(act))}      ${ratio(best(act), best(mut))}`);
  }
}

async function leases(flags: Flags): Promise<void> {
  const server = createHsmServer({ flash: new RamFlash({ size: PARTITION * 2, sectorSize: PARTITION, pageSize: 8 }) });
  const p = server.nvmFor('bench');
  const toggle = xstateToggleLease();
  const m = new AsyncMutex();
  const n = Math.max(1000, Math.floor(flags.ops / 2));
  const pairs = async (pair: () => Promise<unknown>) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await pair();
    return n / ((performance.now() - t0) / 1000);
  };
  const lockPair = async (lock: { acquire(): Promise<unknown>; release(): Promise<unknown> }) => {
    await lock.acquire();
    await lock.release();
  };
  // Warm-up (unprinted), then alternating rounds, best of each: this machine's speed drifts between runs.
  const rates = { lease: [] as number[], toggle: [] as number[], mutex: [] as number[] };
  for (let r = 0; r <= Math.max(1, flags.rounds); r++) {
    const lease = await pairs(() => lockPair(p.lock));
    const tog = await pairs(() => lockPair(toggle));
    const mut = await pairs(() => m.run(() => 0)); // as before: the mutex's whole acquire/release is one call
    if (r === 0) continue;
    rates.lease.push(lease);
    rates.toggle.push(tog);
    rates.mutex.push(mut);
  }
  const [rate, trate, mrate] = [best(rates.lease), best(rates.toggle), best(rates.mutex)];
  console.log(`\nlease lock: ${fmt(rate)} acquire/release pairs/s (target >= 100 k)   async mutex: ${fmt(mrate)}, ratio ${ratio(rate, mrate)} (target >= 0.50)`);
  console.log(`  xstate ceiling (a bare two-state machine, one promise per event): ${fmt(trate)} pairs/s; lease / ceiling ${ratio(rate, trate)}`);
  toggle.stop();
  server.stop();
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  console.log(`actorhsm bench: ${flags.ops} ops per measurement, clients ${flags.clients.join('/')}, best of ${flags.rounds}`);
  console.log('targets: actor/mutex >= 1.00 at every client count; direct/actor <= 3.00');
  const on = (s: string) => flags.only === null || flags.only.includes(s);
  if (on('core')) {
    // Warm every path up once (unprinted): the first measured workload must not pay for JIT compilation.
    await core({ ...flags, rounds: 0 }, true);
    await core(flags);
  }
  if (on('requests')) await requests(flags);
  if (on('lease')) await leases(flags);
  if (on('tcp')) await tcpBench(flags, fmt);
  if (on('tcpbase')) await tcpBaselineBench(flags);
  if (on('durability')) await durabilityBench(flags);
  if (on('crypto')) await cryptoBench(flags);
  if (on('pk')) await pkBench(flags);
  if (on('checker')) checkerBench(flags.data, flags.rounds);
}

void main();

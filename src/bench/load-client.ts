/**
 * A load generator in its own process (forked by the bench), so the clients' work
 * never runs on the server's event loop. Receives a LoadJob over IPC, answers a
 * LoadReport. Every request's latency is recorded.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { WORKER_NICENESS } from '../ports/os/thread-priority.js';
import { HsmClient } from '../client/hsm-client.js';
import { WhError } from '../errors.js';
import { makeMetadata } from '../nvm/metadata.js';
import { CommAction, Group, kind } from '../protocol/groups.js';
import { encodePacket } from '../protocol/header.js';
import { encodeFrame } from '../protocol/tcp-framing.js';
import { connectTcp } from '../ports/transport/tcp-transport.js';
import { CRYPTO_OPS, isCryptoOp, type CryptoOpName } from './crypto-ops.js';
import { PK_OPS, isPkOp, type PkOpName } from './pk-ops.js';

/**
 * read16: NVM READ of 16 bytes of object 1 (the bench creates it). ard: add an object,
 * read it, destroy it (one round = 3 requests, each client its own id).
 */
export type LoadWorkload = 'mix' | 'echo' | 'read16' | 'ard' | 'compact' | 'flood' | 'disk' | 'keygen-alone' | CryptoOpName | PkOpName;

export interface LoadJob {
  readonly port: number;
  readonly host: string;
  readonly workload: LoadWorkload;
  readonly clients: number;
  /** First COMM INIT client id; client k uses firstId + k. */
  readonly firstId: number;
  readonly durationMs: number;
}

export interface LoadReport {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  /** Latencies in ms, sorted (every workload but flood). */
  readonly p50: number;
  readonly p99: number;
  /** Bytes written by a flooding client. */
  readonly floodBytes: number;
}

const PAYLOAD = new Uint8Array(16).fill(0x42);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

type Run = (until: number) => Promise<{ n: number; errors: number }>;

/** Connects client `k` and does its setup (a key generated on the server for the PK workloads) before the clock starts. */
async function prepareClient(job: LoadJob, k: number, lat: number[]): Promise<Run> {
  const c = new HsmClient(await connectTcp({ host: job.host, port: job.port }));
  await c.commInit(job.firstId + k);
  const pk = isPkOp(job.workload) ? PK_OPS[job.workload] : null;
  const keyId = pk ? await pk.setup(c) : 0;
  return (until) => runClient(job, c, k, until, lat, keyId);
}

async function runClient(job: LoadJob, c: HsmClient, k: number, until: number, lat: number[], keyId: number): Promise<{ n: number; errors: number }> {
  let n = 0;
  let errors = 0;
  const timed = async <T>(f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    lat.push(performance.now() - t0);
    n++;
    return r;
  };
  if (job.workload === 'mix') {
    // 15 counters and 5 shared objects: 20 of the 30 directory entries live, the rest for replacements.
    const id = 0x100 + ((job.firstId + k) % 5);
    const data = new Uint8Array(64).fill(k);
    await c.counterInit(1, 0);
    for (let i = 0; performance.now() < until; i++) {
      const step = i % 3;
      if (step === 0) {
        let rc = await timed(() => c.nvmAddObject(makeMetadata({ id, label: 'bench' }), data));
        // A full store is compacted by the client, as wolfHSM's own clients do (others may fill it again first).
        for (let tries = 0; rc === WhError.NOSPACE && tries < 5; tries++) {
          rc = (await timed(() => c.nvmDestroyObjects([]))) || (await timed(() => c.nvmAddObject(makeMetadata({ id, label: 'bench' }), data)));
        }
        if (rc !== 0) errors++;
      } else if (step === 1) {
        if ((await timed(() => c.nvmRead(id, 0, 16))).rc !== 0 && i > 3) errors++;
      } else if ((await timed(() => c.counterIncrement(1))).rc !== 0) errors++;
    }
  } else if (job.workload === 'echo') {
    while (performance.now() < until) await timed(() => c.echo(PAYLOAD));
  } else if (job.workload === 'read16') {
    while (performance.now() < until) if ((await timed(() => c.nvmRead(1, 0, 16))).rc !== 0) errors++;
  } else if (job.workload === 'ard') {
    const id = 0x200 + job.firstId + k;
    const meta = makeMetadata({ id, label: 'ard' });
    while (performance.now() < until) {
      if ((await timed(() => c.nvmAddObject(meta, PAYLOAD))) !== 0) errors++;
      if ((await timed(() => c.nvmRead(id, 0, 16))).rc !== 0) errors++;
      if ((await timed(() => c.nvmDestroyObjects([id]))) !== 0) errors++;
    }
  } else if (isPkOp(job.workload)) {
    const { op } = PK_OPS[job.workload];
    while (performance.now() < until) if (!(await timed(() => op(c, keyId)))) errors++;
  } else if (isCryptoOp(job.workload)) {
    const op = CRYPTO_OPS[job.workload];
    while (performance.now() < until) if (!(await timed(() => op(c)))) errors++;
  } else {
    // Each compaction has something to reclaim: the client first replaces its own object
    // (a compaction with nothing to reclaim is skipped, deviation 38). Only the compactions are counted.
    const meta = makeMetadata({ id: 0x300 + job.firstId + k, label: 'compact' });
    while (performance.now() < until) {
      if ((await c.nvmAddObject(meta, PAYLOAD)) !== 0) errors++;
      if ((await timed(() => c.nvmDestroyObjects([]))) !== 0) errors++;
    }
  }
  c.transport.close();
  return { n, errors };
}

/** Pipelines ECHO frames as fast as the socket takes them and never reads an answer. */
function flood(job: LoadJob, until: number): Promise<number> {
  return new Promise((resolve) => {
    const s = netConnect({ host: job.host, port: job.port });
    const frame = encodeFrame(encodePacket({ magic: 0xa502, kind: kind(Group.COMM, CommAction.ECHO), seq: 1, aux: 0, littleEndian: true }, PAYLOAD));
    const batch = Buffer.concat(Array.from({ length: 256 }, () => Buffer.from(frame)));
    let bytes = 0;
    s.pause(); // never read
    const pump = () => {
      while (performance.now() < until) {
        bytes += batch.length;
        if (!s.write(batch)) return;
      }
      s.destroy();
      resolve(bytes);
    };
    s.on('connect', pump);
    s.on('drain', pump);
    s.on('error', () => resolve(bytes));
    setTimeout(() => (s.destroy(), resolve(bytes)), Math.max(0, until - performance.now()) + 50);
  });
}

/**
 * Not a client: writes a 4 KiB block and fdatasyncs its own temporary file in a loop,
 * as a compaction's persist worker does, with no server involved. What the disk's
 * syncs alone do to other processes' latency on this machine (requests = syncs).
 */
async function syncOwnFile(until: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'actorhsm-disk-'));
  const f = await open(join(dir, 'load'), 'w');
  const block = Buffer.alloc(4096, 0x5a);
  let n = 0;
  try {
    for (; performance.now() < until; n++) {
      await f.write(block, 0, block.length, (n % 64) * block.length);
      await f.datasync();
    }
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return n;
}

/**
 * Not a client: generates RSA-4096 keys back to back at the crypto workers' niceness,
 * the work of a server's key generation with no server involved (requests = keys).
 */
function keygenNiced(until: number): number {
  setPriority(WORKER_NICENESS);
  let n = 0;
  for (; performance.now() < until; n++) generateKeyPairSync('rsa', { modulusLength: 4096 });
  return n;
}

/**
 * Workloads that measure no latencies (a flood, or load beside the server): each runs
 * until the deadline and counts what it did, as requests or as bytes written.
 */
const UNTIMED: Partial<Record<LoadWorkload, (job: LoadJob, until: number) => Promise<{ requests: number; floodBytes: number }>>> = {
  flood: async (job, until) => ({ requests: 0, floodBytes: await flood(job, until) }),
  disk: async (_job, until) => ({ requests: await syncOwnFile(until), floodBytes: 0 }),
  'keygen-alone': async (_job, until) => ({ requests: keygenNiced(until), floodBytes: 0 }),
};

process.on('message', (job: LoadJob) => {
  void (async () => {
    const untimed = UNTIMED[job.workload];
    if (untimed) {
      const t0 = performance.now();
      const done = await untimed(job, t0 + job.durationMs);
      process.send!({ ...done, errors: 0, seconds: (performance.now() - t0) / 1000, p50: 0, p99: 0 } satisfies LoadReport);
      return;
    }
    const lat: number[] = [];
    const runs = await Promise.all(Array.from({ length: job.clients }, (_, k) => prepareClient(job, k, lat)));
    const t0 = performance.now();
    const until = t0 + job.durationMs;
    const rs = await Promise.all(runs.map((run) => run(until)));
    lat.sort((a, b) => a - b);
    process.send!({
      requests: rs.reduce((s, r) => s + r.n, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
      seconds: (performance.now() - t0) / 1000,
      p50: percentile(lat, 0.5),
      p99: percentile(lat, 0.99),
      floodBytes: 0,
    } satisfies LoadReport);
  })();
});

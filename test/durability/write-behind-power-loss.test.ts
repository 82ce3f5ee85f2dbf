import { describe, expect, it } from 'vitest';
import { Nvm } from '../../src/nvm/nvm.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { MemorySink } from '../../src/ports/flash/memory-sink.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { WriteBehindFlash } from '../../src/ports/flash/write-behind-flash.js';
import { bytes, meta, ramNvm } from '../helpers/nvm-fixture.js';
import { nvmContents } from '../helpers/nvm-snapshot.js';

const PART = 4096;

type Op = (nvm: Nvm) => number;
type Contents = Map<number, string>;

function contentsOf(nvm: Nvm): Contents {
  return new Map(nvmContents(nvm).map((o) => [o.id, `${o.label}:${o.data}`]));
}

function boot(image: Uint8Array, erasedByte: number): Nvm {
  const ram = new RamFlash({ size: 2 * PART, sectorSize: PART, pageSize: 8, erasedByte, initData: image });
  const nvm = new Nvm();
  const rc = nvm.init(new NvmFlash(ram, { objectCount: 32 }));
  if (rc !== 0) throw new Error(`boot failed: ${rc}`);
  return nvm;
}

/** A tiny seeded PRNG, so every crash image is reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Run {
  base: Uint8Array;
  /** Contents after each op (index 0: before any). */
  states: Contents[];
  /** sink.steps.length when each op's answer could leave (its writes durable). */
  ackedAt: number[];
  sink: MemorySink;
  erasedByte: number;
}

/**
 * Runs op groups on a write-behind flash over a simulated disk: the ops of one group
 * in the same tick (so they share a batch), the next group while that batch persists.
 */
async function runGroups(groups: Op[][], erasedByte: number): Promise<Run> {
  const built = ramNvm({ partitionSize: PART, erasedByte });
  built.nvm.addObject(meta(1, { label: 'one' }), bytes(20, 0x11));
  built.nvm.addObject(meta(2, { label: 'two' }), bytes(9, 0x22));
  built.nvm.addObject(meta(2, { label: 'two v2' }), bytes(17, 0x23));
  const base = built.ram.snapshot();
  const sink = new MemorySink(base, { syncDelayMs: 1 });
  const flash = new WriteBehindFlash({ image: base.slice(), partitionSize: PART, erasedByte, sink });
  const nvm = new Nvm();
  expect(nvm.init(new NvmFlash(flash, { objectCount: 32 }))).toBe(0);
  const states: Contents[] = [contentsOf(nvm)];
  const ackedAt: number[] = [];
  const acks: Promise<void>[] = [];
  for (const group of groups) {
    for (const op of group) {
      expect(op(nvm)).toBe(0);
      states.push(contentsOf(nvm));
      const i = ackedAt.length;
      ackedAt.push(Infinity);
      acks.push(flash.whenDurable(flash.writeSeq).then(() => void (ackedAt[i] = sink.steps.length)));
    }
    await new Promise((r) => setTimeout(r, 0));
  }
  await Promise.all(acks);
  expect(await flash.close()).toBe(0);
  return { base, states, ackedAt, sink, erasedByte };
}

/** Disk images a power cut after `k` steps may leave: synced writes, plus any subset of the unsynced ones, possibly torn. */
function crashImages(run: Run, k: number, rand: () => number): Uint8Array[] {
  const steps = run.sink.steps.slice(0, k);
  let lastSync = -1;
  steps.forEach((s, i) => s.kind === 'sync' && (lastSync = i));
  const durable = run.base.slice();
  for (const s of steps.slice(0, lastSync + 1)) if (s.kind === 'write') durable.set(s.bytes, s.offset);
  const inflight = steps.slice(lastSync + 1).filter((s) => s.kind === 'write') as { offset: number; bytes: Uint8Array }[];
  const images = [durable];
  if (inflight.length === 0) return images;
  const all = durable.slice();
  for (const w of inflight) all.set(w.bytes, w.offset);
  images.push(all);
  for (let v = 0; v < 4; v++) {
    const img = durable.slice();
    for (const w of inflight) {
      if (rand() < 0.5) continue;
      // A torn write: some prefix of its 8-byte units landed.
      const units = w.bytes.length / 8;
      const landed = rand() < 0.3 ? Math.floor(rand() * units) : units;
      img.set(w.bytes.subarray(0, landed * 8), w.offset);
    }
    images.push(img);
  }
  return images;
}

/**
 * After a crash every object holds a value it had at or after the last acknowledged
 * op (nothing acknowledged is lost, nothing half-written appears).
 */
function checkCrash(run: Run, k: number, got: Contents): void {
  let lastAcked = 0;
  run.ackedAt.forEach((at, i) => at <= k && (lastAcked = i + 1));
  const ids = new Set<number>([...got.keys()]);
  for (const s of run.states) for (const id of s.keys()) ids.add(id);
  for (const id of ids) {
    const allowed = new Set(run.states.slice(lastAcked).map((s) => s.get(id) ?? 'absent'));
    const value = got.get(id) ?? 'absent';
    expect(allowed.has(value), `cut after step ${k}, object ${id} = ${value}; allowed ${[...allowed].join(' | ')}`).toBe(true);
  }
}

const add = (id: number, len: number, fill: number, label = `o${id}`): Op => (n) => n.addObject(meta(id, { label }), bytes(len, fill));

const SCENARIOS: Record<string, Op[][]> = {
  'concurrent adds in one batch, then replaces of one id (counter-like)': [
    [add(4, 30, 0x44), add(5, 7, 0x55), add(6, 64, 0x66)],
    [add(7, 1, 0x77), add(7, 1, 0x78), add(7, 1, 0x79)],
  ],
  'adds around a compaction and a destroy in the same batches': [
    [add(4, 30, 0x44), (n) => n.destroyObjects([]), add(5, 12, 0x55)],
    [(n) => n.destroyObjects([1]), add(6, 40, 0x66), add(1, 5, 0x12, 'one again')],
    // The replace leaves garbage, so this compaction really runs (one with nothing to reclaim is skipped).
    [add(6, 8, 0x67, 'six v2'), (n) => n.destroyObjects([]), add(8, 3, 0x88)],
  ],
};

describe('write-behind flash: a power cut at every persisted step leaves old-or-new per object and loses nothing acknowledged', () => {
  for (const erasedByte of [0xff, 0x00]) {
    for (const [name, groups] of Object.entries(SCENARIOS)) {
      it(`${name} (erased 0x${erasedByte.toString(16)})`, async () => {
        const run = await runGroups(groups, erasedByte);
        const rand = prng(0x5eed + erasedByte);
        // The final state is on the simulated disk.
        expect(contentsOf(boot(run.sink.durable, erasedByte))).toEqual(run.states[run.states.length - 1]);
        let crashes = 0;
        for (let k = 0; k <= run.sink.steps.length; k++) {
          for (const image of crashImages(run, k, rand)) {
            checkCrash(run, k, contentsOf(boot(image, erasedByte)));
            crashes++;
          }
        }
        expect(crashes).toBeGreaterThan(run.sink.steps.length);
      });
    }
  }

  it('the same check catches a flush that ignores the barriers (no sync between data and commit words)', async () => {
    const run = await runGroups(SCENARIOS['concurrent adds in one batch, then replaces of one id (counter-like)']!, 0xff);
    const writes = run.sink.steps.filter((s) => s.kind === 'write');
    const unsynced: Run = { ...run, ackedAt: run.ackedAt.map(() => Infinity), sink: { steps: writes } as unknown as MemorySink };
    const rand = prng(7);
    let caught = 0;
    for (let k = 0; k <= writes.length; k++) {
      for (const image of crashImages(unsynced, k, rand)) {
        try {
          checkCrash(unsynced, k, contentsOf(boot(image, 0xff)));
        } catch {
          caught++;
        }
      }
    }
    expect(caught).toBeGreaterThan(0);
  });
});

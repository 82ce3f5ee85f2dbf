import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { bytesToUnits } from '../../src/nvm/flash-unit.js';
import { headerUnits } from '../../src/nvm/flash-layout.js';
import type { Nvm } from '../../src/nvm/nvm.js';
import type { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { bytes, meta, ramNvm, reboot } from '../helpers/nvm-fixture.js';

const OBJECTS = 6;
const PARTITION = 1024;
const DATA_UNITS = PARTITION / 8 - headerUnits(OBJECTS);

/** The sequential model: live objects in directory order plus directory/data accounting. */
interface Model {
  live: Map<number, Uint8Array>;
  usedEntries: number;
  usedUnits: number;
  garbageEntries: number;
  garbageUnits: number;
}

interface Real {
  nvm: Nvm;
  ram: RamFlash;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function compact(m: Model, doomed: readonly number[]): void {
  for (const id of doomed) m.live.delete(id);
  m.usedEntries = m.live.size;
  m.usedUnits = [...m.live.values()].reduce((s, d) => s + bytesToUnits(d.length), 0);
  m.garbageEntries = 0;
  m.garbageUnits = 0;
}

class AddCmd implements fc.Command<Model, Real> {
  constructor(
    readonly id: number,
    readonly len: number,
    readonly fill: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const data = bytes(this.len, this.fill);
    const rc = r.nvm.addObject(meta(this.id), data);
    const full = m.usedEntries >= OBJECTS || (m.usedUnits * 8 + this.len > DATA_UNITS * 8);
    if (full) {
      expect(rc).toBe(WhError.NOSPACE);
      return;
    }
    expect(rc).toBe(0);
    const old = m.live.get(this.id);
    if (old) {
      m.garbageEntries++;
      m.garbageUnits += bytesToUnits(old.length);
      m.live.delete(this.id);
    }
    m.live.set(this.id, data);
    m.usedEntries++;
    m.usedUnits += bytesToUnits(this.len);
  }
  toString = () => `add(${this.id}, ${this.len}×${this.fill})`;
}

class DestroyCmd implements fc.Command<Model, Real> {
  constructor(readonly ids: number[]) {}
  check = () => true;
  run(m: Model, r: Real): void {
    expect(r.nvm.destroyObjects(this.ids)).toBe(0);
    if (this.ids.length === 0 || this.ids.some((id) => m.live.has(id))) compact(m, this.ids);
  }
  toString = () => `destroy([${this.ids}])`;
}

class ReadCmd implements fc.Command<Model, Real> {
  constructor(
    readonly id: number,
    readonly offset: number,
    readonly len: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const res = r.nvm.read(this.id, this.offset, this.len);
    const d = m.live.get(this.id);
    if (!d) return void expect(res.rc).toBe(WhError.NOTFOUND);
    if (this.offset >= d.length || this.len > d.length - this.offset) return void expect(res.rc).toBe(WhError.BADARGS);
    expect(res.rc).toBe(0);
    if (res.rc === 0) expect(hex(res.value)).toBe(hex(d.subarray(this.offset, this.offset + this.len)));
  }
  toString = () => `read(${this.id}, ${this.offset}, ${this.len})`;
}

class ObserveCmd implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const a = r.nvm.getAvailable();
    expect(a.rc).toBe(0);
    if (a.rc === 0) {
      expect(a.value).toEqual({
        availSize: (DATA_UNITS - m.usedUnits) * 8,
        availObjects: OBJECTS - m.usedEntries,
        reclaimSize: m.garbageUnits * 8,
        reclaimObjects: m.garbageEntries,
      });
    }
    const ids: number[] = [];
    let l = r.nvm.list(0, 0, 0);
    while (l.rc === 0 && l.value.count > 0) {
      ids.push(l.value.id);
      l = r.nvm.list(0, 0, l.value.id);
    }
    expect(ids).toEqual([...m.live.keys()]);
    for (const [id, d] of m.live) expect(r.nvm.getMetadata(id)).toMatchObject({ rc: 0, value: { id, len: d.length } });
  }
  toString = () => 'observe';
}

class RebootCmd implements fc.Command<Model, Real> {
  check = () => true;
  run(_m: Model, r: Real): void {
    const next = reboot(r.ram, { objectCount: OBJECTS });
    r.nvm = next.nvm;
    r.ram = next.ram;
  }
  toString = () => 'reboot';
}

const id = fc.integer({ min: 1, max: 5 });
const commands = [
  fc.tuple(id, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 255 })).map(([i, l, f]) => new AddCmd(i, l, f)),
  fc.uniqueArray(id, { maxLength: 3 }).map((ids) => new DestroyCmd(ids)),
  fc.tuple(id, fc.integer({ min: 0, max: 210 }), fc.integer({ min: 0, max: 210 })).map(([i, o, l]) => new ReadCmd(i, o, l)),
  fc.constant(new ObserveCmd()),
  fc.constant(new RebootCmd()),
];

describe('NVM store against a sequential model (fast-check commands)', () => {
  it('results, contents, order and free-space accounting always agree with the model', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const { nvm, ram } = ramNvm({ objectCount: OBJECTS, partitionSize: PARTITION });
        const model: Model = { live: new Map(), usedEntries: 0, usedUnits: 0, garbageEntries: 0, garbageUnits: 0 };
        const real: Real = { nvm, ram };
        fc.modelRun(() => ({ model, real }), cmds);
        new ObserveCmd().run(model, real);
      }),
      { numRuns: 300 },
    );
  });

  it('the model itself would catch a store that forgot to move replaced objects to the end', () => {
    // Guard against a vacuous model: a wrong expectation must make the property fail.
    const { nvm, ram } = ramNvm({ objectCount: OBJECTS, partitionSize: PARTITION });
    const model: Model = { live: new Map(), usedEntries: 0, usedUnits: 0, garbageEntries: 0, garbageUnits: 0 };
    new AddCmd(1, 8, 1).run(model, { nvm, ram });
    new AddCmd(2, 8, 2).run(model, { nvm, ram });
    nvm.addObject(meta(1), bytes(8, 3)); // behind the model's back
    expect(() => new ObserveCmd().run(model, { nvm, ram })).toThrow();
  });
});

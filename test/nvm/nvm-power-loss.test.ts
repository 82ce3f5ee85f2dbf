import { describe, expect, it } from 'vitest';
import { Nvm } from '../../src/nvm/nvm.js';
import { NvmFlash } from '../../src/nvm/nvm-flash.js';
import { FaultFlash } from '../../src/ports/flash/fault-flash.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { bytes, meta, ramNvm, reboot, text } from '../helpers/nvm-fixture.js';
import { nvmContents } from '../helpers/nvm-snapshot.js';

/** Visible contents, plus (for compaction, which changes nothing visible) the reclaimable count. */
function observe(nvm: Nvm, withReclaim: boolean): unknown[] {
  const a = nvm.getAvailable();
  return withReclaim && a.rc === 0 ? [...nvmContents(nvm), { reclaimObjects: a.value.reclaimObjects }] : nvmContents(nvm);
}

interface Scenario {
  name: string;
  /** Builds the starting image on a fresh store. */
  setup: (nvm: Nvm) => void;
  op: (nvm: Nvm) => number;
  withReclaim?: boolean;
}

const baseObjects = (nvm: Nvm) => {
  nvm.addObject(meta(1, { label: 'one' }), bytes(20, 0x11));
  nvm.addObject(meta(2, { label: 'two' }), bytes(9, 0x22));
  nvm.addObject(meta(3, { label: 'counter' }), null);
  nvm.addObject(meta(2, { label: 'two v2' }), bytes(17, 0x23)); // leaves garbage for compaction
};

const scenarios: Scenario[] = [
  { name: 'add of a new id', setup: baseObjects, op: (n) => n.addObject(meta(4, { label: 'four' }), bytes(36, 0x44)) },
  { name: 'replace of an existing id', setup: baseObjects, op: (n) => n.addObject(meta(1, { label: 'one v2' }), bytes(45, 0x12)) },
  { name: 'destroy of one id', setup: baseObjects, op: (n) => n.destroyObjects([2]) },
  { name: 'compaction', setup: baseObjects, op: (n) => n.destroyObjects([]), withReclaim: true },
  {
    name: 'compaction onto a partition left dirty by an interrupted one',
    setup: (n) => {
      baseObjects(n);
    },
    op: (n) => n.destroyObjects([3]),
  },
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaves a half-written destination partition behind, as a power cut during compaction would. */
function dirtyInactivePartition(ram: RamFlash, erasedByte: number, crc: boolean): RamFlash {
  const { nvm, fault, ram: r } = ramNvm({ erasedByte, crc, image: ram.snapshot() });
  fault.armPowerCut({ afterWrites: 6 });
  nvm.destroyObjects([]);
  return new RamFlash({ size: r.memory.length, sectorSize: r.sectorSize, pageSize: 8, erasedByte, initData: r.snapshot() });
}

describe('power loss at every flash write leaves exactly the old or the new state', () => {
  for (const crc of [false, true]) {
    for (const erasedByte of [0xff, 0x00]) {
      for (const tear of [0, 0.5, 0.3]) {
        for (const [si, s] of scenarios.entries()) {
          it(`${s.name} (erased 0x${erasedByte.toString(16)}, tear ${tear}${crc ? ', CRC16' : ''})`, () => {
            const rebootAs = (ram: RamFlash) => reboot(ram, { crc });
            const built = ramNvm({ erasedByte, crc });
            s.setup(built.nvm);
            const base = si === 4 ? dirtyInactivePartition(built.ram, erasedByte, crc) : built.ram;
            const w = s.withReclaim === true;
            const oldState = observe(rebootAs(base).nvm, w);

            const completed = rebootAs(base);
            expect(s.op(completed.nvm)).toBe(0);
            const newState = observe(completed.nvm, w);
            expect(same(oldState, newState)).toBe(false);

            let sawOld = 0;
            let sawNew = 0;
            for (let k = 1; k < 500; k++) {
              const run = rebootAs(base);
              run.fault.armPowerCut({ afterWrites: k, tear });
              const rc = s.op(run.nvm);
              if (!run.fault.powerCut) {
                expect(rc).toBe(0);
                break;
              }
              const booted = rebootAs(run.ram);
              const got = observe(booted.nvm, w);
              const gotContents = nvmContents(booted.nvm);
              const isOld = same(got, oldState);
              const isNew = same(got, newState);
              expect(isOld || isNew, `cut at write ${k}: ${JSON.stringify(got)}`).toBe(true);
              if (isOld) sawOld++;
              else sawNew++;

              // The store keeps working after the reboot: add, compact, reboot again.
              expect(booted.nvm.addObject(meta(9, { label: 'after' }), text('still alive'))).toBe(0);
              expect(booted.nvm.destroyObjects([])).toBe(0);
              const expected = [...gotContents, { id: 9, flags: 0, label: 'after', data: Buffer.from('still alive').toString('hex') }];
              expect(nvmContents(booted.nvm)).toEqual(expected);
              expect(nvmContents(rebootAs(booted.ram).nvm)).toEqual(expected);
            }
            expect(sawOld).toBeGreaterThan(0);
            if (s.name !== 'add of a new id' && s.name !== 'replace of an existing id') expect(sawNew).toBeGreaterThan(0);
          });
        }
      }
    }
  }

  for (const crc of [false, true]) {
    for (const tear of [0, 0.5, 0.3, 0.9]) {
      it(`power loss while formatting a blank flash never blocks the next boot (tear ${tear}${crc ? ', CRC16' : ''})`, () => {
        for (let k = 1; k <= 3; k++) {
          const ram = new RamFlash({ size: 8192, sectorSize: 4096, pageSize: 8 });
          const fault = new FaultFlash(ram);
          fault.armPowerCut({ afterWrites: k, tear });
          expect(new Nvm().init(new NvmFlash(fault, { crc }))).not.toBe(0);
          const booted = reboot(ram, { crc });
          expect(booted.backend.activePartition).toEqual({ partition: 0, epoch: 0 });
          expect(booted.nvm.addObject(meta(1), text('first'))).toBe(0);
          expect(nvmContents(reboot(booted.ram, { crc }).nvm)).toEqual([{ id: 1, flags: 0, label: '', data: Buffer.from('first').toString('hex') }]);
        }
      });
    }
  }

  it('same-session recovery: after a cut add, the next add in the same session succeeds', () => {
    for (let k = 1; k <= 5; k++) {
      const { nvm, fault } = ramNvm();
      baseObjects(nvm);
      fault.failProgramAt(k);
      expect(nvm.addObject(meta(4), bytes(36, 0x44))).not.toBe(0);
      expect(nvm.addObject(meta(5), bytes(12, 0x55))).toBe(0);
      expect(nvm.read(5, 0, 12)).toEqual({ rc: 0, value: bytes(12, 0x55) });
      expect(nvm.getMetadata(4).rc).not.toBe(0);
    }
  });
});

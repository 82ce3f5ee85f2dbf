import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { drain } from '../../src/nvm/nvm-flash.js';
import { bytes, meta, ramNvm, reboot } from '../helpers/nvm-fixture.js';
import { nvmContents } from '../helpers/nvm-snapshot.js';
import { testServer } from '../helpers/server-fixture.js';

describe('a compaction in steps', () => {
  it('gives the same store as the one-shot compaction, step by step', () => {
    const a = ramNvm();
    const b = ramNvm({ compactionStepBytes: 0 });
    for (const n of [a, b]) for (let i = 1; i <= 6; i++) n.nvm.addObject(meta(i), bytes(40 * i, i));
    a.nvm.destroyObjects([2, 5]);
    let steps = 0;
    const run = b.backend.destroyObjectsStepwise([2, 5]);
    for (let r = run.next(); !r.done; r = run.next()) steps++;
    expect(steps).toBeGreaterThanOrEqual(4); // it really yielded between objects
    expect(b.ram.snapshot()).toEqual(a.ram.snapshot());
  });

  it('a step copies at least compactionStepBytes (whole objects), so a store of small objects takes few steps', () => {
    const stepsOf = (compactionStepBytes: number) => {
      const { nvm, backend } = ramNvm({ compactionStepBytes, partitionSize: 65536 });
      for (let i = 1; i <= 8; i++) nvm.addObject(meta(i), bytes(1000, i));
      const run = backend.destroyObjectsStepwise([8]);
      let steps = 0;
      for (let r = run.next(); !r.done; r = run.next()) steps++;
      expect(nvmContents(nvm).map((o) => o.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      return steps;
    };
    // Each copied object is about 1 KiB with its entry: a step per object at 0, one per two at 2 KiB.
    expect(stepsOf(0)).toBe(7);
    expect(stepsOf(2048)).toBe(3);
    expect(stepsOf(1 << 20)).toBe(0);
  });

  it('a negative or fractional step size is refused at init', () => {
    expect(() => ramNvm({ compactionStepBytes: -1 })).toThrow(/compaction step/);
    expect(() => ramNvm({ compactionStepBytes: 0.5 })).toThrow(/compaction step/);
  });

  it('a run made stale by another change answers ABORTED, commits nothing, and the store stays sound', () => {
    const { nvm, backend, ram } = ramNvm({ compactionStepBytes: 0 });
    for (let i = 1; i <= 4; i++) nvm.addObject(meta(i), bytes(32, i));
    const run = backend.destroyObjectsStepwise([1]);
    run.next();
    run.next();
    expect(nvm.addObject(meta(9), bytes(8, 9))).toBe(0); // someone else changed the store meanwhile
    expect(drain(run)).toBe(-2002);
    const seen = nvmContents(nvm).map((o) => o.id);
    expect(seen).toEqual([1, 2, 3, 4, 9]);
    expect(nvm.destroyObjects([1])).toBe(0); // the half-written partition is erased by the next compaction
    expect(nvmContents(reboot(ram).nvm).map((o) => o.id)).toEqual([2, 3, 4, 9]);
  });

  it('between steps other clients are served: ECHO at once, NVM requests after the compaction (they wait for its lease)', async () => {
    // A step per object, so that the compaction really spans several turns of the loop.
    const { server, connect } = testServer({ nvm: { compactionStepBytes: 0 } });
    const setup = server.nvmFor('setup');
    for (let i = 0; i < 12; i++) await setup.addObject(makeMetadata({ id: 0x100 + i }), new Uint8Array(512).fill(i));
    // Garbage, so that the compaction runs (one with nothing to reclaim is skipped, deviation 38).
    await setup.addObject(makeMetadata({ id: 0x100 }), new Uint8Array(512).fill(0));
    const before = server.owner.opsExecuted;
    const a = connect().client;
    const b = new HsmClient(server.connectMemory().client);
    expect((await b.nvmGetAvailable()).reclaimObjects).toBe(1);
    const order: string[] = [];
    const compaction = a.nvmDestroyObjects([]).then(() => order.push('compaction'));
    await Promise.resolve();
    const echo = b.echo(new Uint8Array([1])).then(() => order.push('echo'));
    await Promise.all([compaction, echo]);
    expect(order).toEqual(['echo', 'compaction']);
    // It really compacted (the replaced version is gone), in steps: a begin, a step per copied object, the durability wait.
    expect(server.owner.opsExecuted - before).toBeGreaterThanOrEqual(12);
    expect((await b.nvmGetAvailable()).reclaimObjects).toBe(0);
    expect((await b.nvmRead(0x105, 0, 4)).data).toEqual(new Uint8Array(4).fill(5));
  });
});

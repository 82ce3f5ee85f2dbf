import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { crc16 } from '../../src/nvm/crc16.js';
import { encodeMetadata, withLen } from '../../src/nvm/metadata.js';
import type { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { bootNvm, bytes, meta, ramNvm, reboot, text } from '../helpers/nvm-fixture.js';
import { nvmContents } from '../helpers/nvm-snapshot.js';

const crcOn = { crc: true, erasedByte: 0x00 } as const;
const pattern = Uint8Array.from({ length: 100 }, (_, i) => (0x5a ^ (i * 7)) & 0xff);

function find(ram: RamFlash, needle: Uint8Array): number {
  const at = Buffer.from(ram.memory).indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThanOrEqual(0);
  return at;
}

const word = (ram: RamFlash, byte: number) => Buffer.from(ram.memory.subarray(byte, byte + 8)).readBigUInt64LE();

describe('CRC-16/CCITT-FALSE', () => {
  it('known answer: "123456789" → 0x29B1; incremental equals one-shot; empty input gives the seed', () => {
    const check = text('123456789');
    expect(crc16(check)).toBe(0x29b1);
    expect(crc16(check.subarray(4), crc16(check.subarray(0, 4)))).toBe(0x29b1);
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });
});

describe('NVM flash store with the CRC16 option (wh_test_nvm_flash.c CRC16)', () => {
  it('writes 0x1234 << 48 | crc << 32 | value in the object start and count words; epoch and partition words keep the full magic', () => {
    const { nvm, ram } = ramNvm(crcOn);
    const m = meta(7, { label: 'crc' });
    expect(nvm.addObject(m, text('hello'))).toBe(0);
    const entry = 3 * 8;
    expect(word(ram, entry)).toBe(0x1234567800000000n);
    const metaCrc = BigInt(crc16(encodeMetadata(withLen(m, 5))));
    expect(word(ram, entry + 8)).toBe((0x1234n << 48n) | (metaCrc << 32n) | 0n);
    expect(word(ram, entry + 16)).toBe((0x1234n << 48n) | (BigInt(crc16(text('hello'))) << 32n) | 1n);
    expect(word(ram, 16)).toBe(0x1234567800000200n);
  });

  it('a flipped data byte: a full read answers NOTVERIFIED (no data), partial reads do not check, compaction aborts and keeps the object', () => {
    const { nvm, ram, backend } = ramNvm(crcOn);
    expect(nvm.addObject(meta(200, { label: 'CrcDataTest' }), pattern)).toBe(0);
    expect(nvm.read(200, 0, 100)).toEqual({ rc: 0, value: pattern });
    const at = find(ram, pattern);
    ram.memory[at + 50]! ^= 0xff;
    expect(nvm.read(200, 0, 100)).toEqual({ rc: WhError.NOTVERIFIED });
    expect(nvm.read(200, 0, 99).rc).toBe(0);
    expect(nvm.read(200, 1, 99).rc).toBe(0);
    expect(nvm.destroyObjects([])).toBe(WhError.NOTVERIFIED);
    expect(backend.activePartition).toEqual({ partition: 0, epoch: 0 });
    expect(nvm.getMetadata(200).rc).toBe(0);
    // the half-written destination is ignored after a reboot too
    expect(reboot(ram, { crc: true }).backend.activePartition).toEqual({ partition: 0, epoch: 0 });
    ram.memory[at + 50]! ^= 0xff;
    expect(nvm.read(200, 0, 100).rc).toBe(0);
    expect(nvm.destroyObjects([])).toBe(0);
    expect(nvm.read(200, 0, 100)).toEqual({ rc: 0, value: pattern });
  });

  it('flipped metadata: the object is hidden as CRC_BAD after a reboot, counted reclaimable, dropped by compaction', () => {
    const { nvm, ram } = ramNvm(crcOn);
    nvm.addObject(meta(201, { label: 'CrcMetaTest' }), text('MetaTestData'));
    nvm.addObject(meta(202, { label: 'CrcGoodTest' }), text('GoodObjectData'));
    ram.memory[find(ram, text('CrcMetaTest')) + 3]! ^= 0xff;
    const b = reboot(ram, { crc: true });
    expect(b.nvm.getMetadata(201).rc).toBe(WhError.NOTFOUND);
    expect(b.nvm.read(202, 0, 14)).toEqual({ rc: 0, value: text('GoodObjectData') });
    const a = b.nvm.getAvailable();
    expect(a.rc === 0 && a.value.reclaimObjects).toBe(1);
    expect(a.rc === 0 && a.value.reclaimSize).toBe(16);
    expect(b.backend.initWarnings.join()).toMatch(/entry 0 \(byte offset 24\): metadata fails its CRC16/);
    expect(b.nvm.destroyObjects([])).toBe(0);
    expect(b.nvm.getMetadata(201).rc).toBe(WhError.NOTFOUND);
    expect(b.nvm.read(202, 0, 14).rc).toBe(0);
    const after = b.nvm.getAvailable();
    expect(after.rc === 0 && after.value.reclaimObjects).toBe(0);
    expect(b.nvm.addObject(meta(201), text('MetaTestData'))).toBe(0);
  });

  it('a metadata-only object survives compaction and is still protected by its metadata CRC', () => {
    const { nvm, ram } = ramNvm(crcOn);
    expect(nvm.addObject(meta(203, { label: 'CrcCounterTest' }), null)).toBe(0);
    expect(nvm.read(203, 0, 0).rc).toBe(WhError.BADARGS);
    expect(nvm.destroyObjects([])).toBe(0);
    expect(nvm.getMetadata(203).rc).toBe(0);
    ram.memory[find(ram, text('CrcCounterTest')) + 3]! ^= 0xff;
    expect(reboot(ram, { crc: true }).nvm.getMetadata(203).rc).toBe(WhError.NOTFOUND);
  });

  it('a destroy that fails on another corrupt object leaves everything in place; destroying the corrupt one works', () => {
    const { nvm, ram } = ramNvm(crcOn);
    nvm.addObject(meta(210, { label: 'CrcKeepTest' }), text('KeepThisObject'));
    nvm.addObject(meta(211, { label: 'CrcBadCopyTest' }), pattern);
    ram.memory[find(ram, pattern) + 10]! ^= 0xff;
    expect(nvm.destroyObjects([210])).toBe(WhError.NOTVERIFIED);
    expect(nvm.read(210, 0, 14)).toEqual({ rc: 0, value: text('KeepThisObject') });
    expect(nvm.read(211, 0, 100).rc).toBe(WhError.NOTVERIFIED);
    expect(nvm.destroyObjects([211])).toBe(0);
    expect(nvm.getMetadata(211).rc).toBe(WhError.NOTFOUND);
    expect(nvm.read(210, 0, 14)).toEqual({ rc: 0, value: text('KeepThisObject') });
  });

  it('an interrupted add with corrupt metadata (LEN_BAD) reserves the rest of the data area until a compaction', () => {
    const { nvm, fault, ram } = ramNvm(crcOn);
    fault.failProgramAt(5);
    expect(nvm.addObject(meta(212, { label: 'CrcIntrTest' }), bytes(40, 0xa5))).toBe(WhError.ABORTED);
    ram.memory[find(ram, text('CrcIntrTest')) + 3]! ^= 0xff;
    const b = reboot(ram, { crc: true });
    const a = b.nvm.getAvailable();
    expect(a.rc === 0 && a.value.availSize).toBe(0);
    expect(a.rc === 0 && a.value.reclaimObjects).toBe(1);
    expect(b.nvm.addObject(meta(213), bytes(40, 0x3c))).toBe(WhError.NOSPACE);
    expect(b.nvm.destroyObjects([])).toBe(0);
    expect(b.nvm.addObject(meta(213), bytes(40, 0x3c))).toBe(0);
    expect(b.nvm.read(213, 0, 40)).toEqual({ rc: 0, value: bytes(40, 0x3c) });
  });

  it('documented caveat: a corrupt newest copy brings the previous version back after a reboot', () => {
    const { nvm, ram } = ramNvm(crcOn);
    nvm.addObject(meta(220, { label: 'CrcResurrectV1' }), text('ResurrectV1Data'));
    nvm.addObject(meta(220, { label: 'CrcResurrectV2' }), text('ResurrectV2Data!'));
    ram.memory[find(ram, text('CrcResurrectV2')) + 3]! ^= 0xff;
    const b = reboot(ram, { crc: true });
    expect(b.nvm.read(220, 0, 15)).toEqual({ rc: 0, value: text('ResurrectV1Data') });
    const a = b.nvm.getAvailable();
    expect(a.rc === 0 && a.value.reclaimObjects).toBe(1);
    expect(b.nvm.destroyObjects([])).toBe(0);
    expect(nvmContents(b.nvm).map((o) => o.label)).toEqual(['CrcResurrectV1']);
  });

  it('an image written with CRC off is refused by a CRC-on store (and the reverse), with a diagnosis; an empty store opens either way', () => {
    const off = ramNvm({ erasedByte: 0x00 });
    off.nvm.addObject(meta(1), text('plain'));
    const on = bootNvm({ crc: true, erasedByte: 0x00, image: off.ram.snapshot() });
    expect(on.rc).toBe(WhError.NOTVERIFIED);
    expect(on.backend.initProblem).toMatch(/entry 0 \(byte offset 24\).*written with the CRC16 option off.*--crc off/);

    const crcImage = ramNvm(crcOn);
    crcImage.nvm.addObject(meta(1), text('checked'));
    const plain = bootNvm({ erasedByte: 0x00, image: crcImage.ram.snapshot() });
    expect(plain.rc).toBe(WhError.NOTVERIFIED);
    expect(plain.backend.initProblem).toMatch(/start word at byte offset 32 reads 0x1234[0-9a-f]{4}00000000.*written with the CRC16 option on.*--crc on/);

    const empty = ramNvm({ erasedByte: 0x00 });
    expect(bootNvm({ crc: true, erasedByte: 0x00, image: empty.ram.snapshot() }).rc).toBe(0);
  });
});

import { FaultFlash } from '../../src/ports/flash/fault-flash.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { NvmFlash, type NvmFlashConfig } from '../../src/nvm/nvm-flash.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { makeMetadata, type NvmMetadata } from '../../src/nvm/metadata.js';

export interface RamNvmOptions extends Pick<NvmFlashConfig, 'crc' | 'formatIfInvalid' | 'compactionStepBytes'> {
  partitionSize?: number;
  objectCount?: number;
  erasedByte?: number;
  image?: Uint8Array;
}

/** A RAM flash behind a fault injector behind an initialised NVM; throws if init fails. */
export function ramNvm(opts: RamNvmOptions = {}) {
  const { rc, ...booted } = bootNvm(opts);
  if (rc !== 0) throw new Error(`nvm init failed: ${rc}: ${booted.backend.initProblem}`);
  return booted;
}

/** The same, answering init's code instead of throwing. */
export function bootNvm(opts: RamNvmOptions = {}) {
  const sector = opts.partitionSize ?? 4096;
  const ram = new RamFlash({
    size: sector * 2,
    sectorSize: sector,
    pageSize: 8,
    erasedByte: opts.erasedByte ?? 0xff,
    ...(opts.image ? { initData: opts.image } : {}),
  });
  const fault = new FaultFlash(ram);
  const config: NvmFlashConfig = {
    objectCount: opts.objectCount ?? 32,
    ...(opts.crc !== undefined ? { crc: opts.crc } : {}),
    ...(opts.formatIfInvalid !== undefined ? { formatIfInvalid: opts.formatIfInvalid } : {}),
    ...(opts.compactionStepBytes !== undefined ? { compactionStepBytes: opts.compactionStepBytes } : {}),
  };
  const backend = new NvmFlash(fault, config);
  const nvm = new Nvm();
  const rc = nvm.init(backend);
  return { rc, ram, fault, backend, nvm };
}

/** Boots a fresh NVM on a copy of `ram`'s image, as after a power cycle. */
export function reboot(ram: RamFlash, opts: Omit<RamNvmOptions, 'image'> = {}) {
  return ramNvm({ ...opts, partitionSize: ram.sectorSize, erasedByte: ram.erasedByte, image: ram.snapshot() });
}

export function meta(id: number, fields: { access?: number; flags?: number; len?: number; label?: string | Uint8Array } = {}): NvmMetadata {
  return makeMetadata({ id, ...fields });
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function bytes(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

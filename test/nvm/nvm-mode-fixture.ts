// Like test/helpers/nvm-fixture.ts, with the NvmFlash options (CRC16 layout) passed through.
import { NvmFlash, type NvmFlashConfig } from '../../src/nvm/nvm-flash.js';
import { Nvm } from '../../src/nvm/nvm.js';
import { FaultFlash } from '../../src/ports/flash/fault-flash.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';

export interface ModeNvmOptions extends NvmFlashConfig {
  readonly partitionSize?: number;
  readonly erasedByte?: number;
  readonly image?: Uint8Array;
}

/** A RAM flash behind a fault injector behind an NVM; throws if init fails. */
export function modeNvm(opts: ModeNvmOptions = {}) {
  const booted = bootNvm(opts);
  if (booted.rc !== 0) throw new Error(`nvm init failed: ${booted.rc}: ${booted.backend.initProblem}`);
  return booted;
}

/** Same, but returns init's answer instead of throwing. */
export function bootNvm(opts: ModeNvmOptions = {}) {
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
  };
  const backend = new NvmFlash(fault, config);
  const nvm = new Nvm();
  const rc = nvm.init(backend);
  return { rc, ram, fault, backend, nvm };
}

/** Boots a fresh NVM on a copy of `ram`'s image, as after a power cycle. */
export function rebootMode(ram: RamFlash, opts: Omit<ModeNvmOptions, 'image' | 'partitionSize' | 'erasedByte'> = {}) {
  return modeNvm({ ...opts, partitionSize: ram.sectorSize, erasedByte: ram.erasedByte, image: ram.snapshot() });
}

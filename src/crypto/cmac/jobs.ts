import type { CryptoJobTable } from '../job-table.js';
import { AesCmac, type CmacState } from './cmac.js';

export const CmacJob = { UPDATE: 'cmac.update', FINAL: 'cmac.final', GENERATE: 'cmac.generate' } as const;

export interface CmacUpdateArgs {
  readonly key: Uint8Array;
  readonly state: CmacState;
  readonly input: Uint8Array;
}
export interface CmacFinalArgs {
  readonly key: Uint8Array;
  readonly state: CmacState;
  readonly outSz: number;
}
export interface CmacGenerateArgs {
  readonly key: Uint8Array;
  readonly input: Uint8Array;
  readonly outSz: number;
}
export type CmacMacResult = { readonly rc: 0; readonly mac: Uint8Array } | { readonly rc: number };

/** Restore, absorb, hand the state back. */
export function cmacUpdate({ key, state, input }: CmacUpdateArgs): CmacState {
  const c = new AesCmac(key, state);
  c.update(input);
  return c.state();
}

/** Restore and finish. */
export function cmacFinal({ key, state, outSz }: CmacFinalArgs): CmacMacResult {
  return new AesCmac(key, state).final(outSz);
}

/** wc_AesCmacGenerate: a fresh computation over the whole input. */
export function cmacGenerate({ key, input, outSz }: CmacGenerateArgs): CmacMacResult {
  const c = new AesCmac(key);
  c.update(input);
  return c.final(outSz);
}

export const cmacJobs: CryptoJobTable = {
  [CmacJob.UPDATE]: cmacUpdate,
  [CmacJob.FINAL]: cmacFinal,
  [CmacJob.GENERATE]: cmacGenerate,
};

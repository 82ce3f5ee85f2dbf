import type { CmacState } from '../crypto/cmac/cmac.js';
import type { KeyCache } from '../keystore/key-cache.js';
import type { SheCtx } from '../she/she-gate.js';
import { bootFinish, bootInit, bootUpdateBegin, bootUpdateCommit, type BootAnswer, type BootUpdateBegin, type BootUpdateCommit } from '../she/she-boot.js';
import { loadKey, type LoadKeyAnswer } from '../she/she-load-key.js';
import { exportRamKey, loadPlainKey, type ExportRamKeyAnswer } from '../she/she-ram-key.js';
import { extendSeed, initRnd, rnd, type RndStatusAnswer } from '../she/she-rnd.js';
import { getStatus, setUid } from '../she/she-status.js';
import { useKey, type UseKeyAnswer } from '../she/she-use-key.js';
import type { WhRc } from '../errors.js';
// Types only: a value import of owner-ops.js would close an import cycle (it spreads this table).
import type { OwnerState } from './owner-ops.js';

/** Every SHE operation names the caller's local cache (its keys live there) and its client id (the keys' USER). */
export interface SheArgs {
  readonly local: KeyCache;
  readonly user: number;
}

const ctx = (s: OwnerState, a: SheArgs): SheCtx => ({
  she: s.she,
  user: a.user,
  keys: { nvm: s.nvm, global: s.globalCache, local: a.local, features: s.keyFeatures, random: s.random },
});

/**
 * SHE's atomic owner operations (spec-cert-she-custom 2), merged into `ownerOps`:
 * each runs in one owner turn, starting with the SHE gate, so a state check and the
 * write it allows can never be split by another client's request. `sizeOk` is the
 * handler's verdict on the request size, applied after the gate as wolfHSM does.
 */
export const sheOwnerOps = {
  'she.setUid': (s: OwnerState, a: SheArgs & { uid: Uint8Array; sizeOk: boolean }): { rc: WhRc } => setUid(ctx(s, a), a),
  'she.getStatus': (s: OwnerState, a: SheArgs & { sizeOk: boolean }): { rc: WhRc; sreg: number } => getStatus(ctx(s, a), a),
  'she.bootInit': (s: OwnerState, a: SheArgs & { size: number; sizeOk: boolean }): BootAnswer => bootInit(ctx(s, a), a),
  /** SECURE_BOOT_UPDATE's checks and a snapshot of the running CMAC; the chunk is absorbed on the engine. */
  'she.bootUpdateBegin': (s: OwnerState, a: SheArgs & { sz: number; sizeOk: boolean }): BootUpdateBegin => bootUpdateBegin(ctx(s, a), a),
  /** Applies the absorbed chunk only if the boot state is the snapshot's (else `stale`: start over). */
  'she.bootUpdateCommit': (s: OwnerState, a: SheArgs & { epoch: number; sz: number; cmac: CmacState | null }): BootUpdateCommit => bootUpdateCommit(ctx(s, a), a),
  'she.bootFinish': (s: OwnerState, a: SheArgs & { sizeOk: boolean }): BootAnswer => bootFinish(ctx(s, a), a),
  /** LOAD_KEY: authenticate, check the target's flags and counter, store, prove: one turn. */
  'she.loadKey': (s: OwnerState, a: SheArgs & { m1: Uint8Array; m2: Uint8Array; m3: Uint8Array; sizeOk: boolean }): LoadKeyAnswer => loadKey(ctx(s, a), a),
  'she.loadPlainKey': (s: OwnerState, a: SheArgs & { key: Uint8Array; sizeOk: boolean }): { rc: WhRc } => loadPlainKey(ctx(s, a), a),
  'she.exportRamKey': (s: OwnerState, a: SheArgs & { sizeOk: boolean }): ExportRamKeyAnswer => exportRamKey(ctx(s, a), a),
  'she.initRnd': (s: OwnerState, a: SheArgs & { sizeOk: boolean }): RndStatusAnswer => initRnd(ctx(s, a), a),
  'she.rnd': (s: OwnerState, a: SheArgs & { sizeOk: boolean }): { rc: WhRc; rnd?: Uint8Array } => rnd(ctx(s, a), a),
  'she.extendSeed': (s: OwnerState, a: SheArgs & { entropy: Uint8Array; sizeOk: boolean }): RndStatusAnswer => extendSeed(ctx(s, a), a),
  /** The key of a cipher/MAC action after the gate; the computation runs outside the owner. */
  'she.useKey': (s: OwnerState, a: SheArgs & { action: number; slot: number; sizeOk: boolean }): UseKeyAnswer => useKey(ctx(s, a), a),
} as const;

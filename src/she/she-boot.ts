import { WhError, type WhRc } from '../errors.js';
import { AesCmac, type CmacState } from '../crypto/cmac/cmac.js';
import { SHE_BOOT_MAC_PREFIX_LEN, SHE_KEY_SIZE, SheAction, SheSlot } from './she-constants.js';
import { sameBytes } from './she-crypto.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { readSheKey, sheKeyId } from './she-keys.js';
import { SbState, resetBoot } from './she-state.js';

/**
 * Secure boot (2.8): INIT reads BOOT_MAC_KEY and starts the CMAC over
 * 0^12 ‖ LE32(size); UPDATEs feed the image; FINISH compares with BOOT_MAC.
 * Boot MAC = AES-CMAC(BOOT_MAC_KEY, 0^12 ‖ LE32(size) ‖ image).
 */

/** rc and the `status` field of a boot reply (0, or GENERAL_ERROR when the action failed inside). */
export interface BootAnswer {
  readonly rc: WhRc;
  readonly status: WhRc;
}

const answer = (rc: WhRc): BootAnswer => ({ rc, status: rc === WhError.OK ? WhError.OK : WhError.SHE_GENERAL_ERROR });

/**
 * Runs a boot action after the gate; any failure but NO_SECURE_BOOT puts the boot
 * back to INIT, as wolfHSM does (a gate refusal changes nothing).
 */
function bootAction<T extends { readonly rc: WhRc }>(c: SheCtx, action: number, body: () => T, refused: (rc: WhRc) => T): T {
  const gate = sheGate(c.she, action);
  if (gate !== WhError.OK) return refused(gate);
  const r = body();
  if (r.rc !== WhError.OK && r.rc !== WhError.SHE_NO_SECURE_BOOT) resetBoot(c.she.boot);
  return r;
}

const refusedBoot = (rc: WhRc): BootAnswer => ({ rc, status: WhError.OK });

/** The boot MAC's prefix: twelve zero bytes and the size in the server's native (little-endian) order. */
export function bootMacPrefix(size: number): Uint8Array {
  const p = new Uint8Array(SHE_BOOT_MAC_PREFIX_LEN + 4);
  new DataView(p.buffer).setUint32(SHE_BOOT_MAC_PREFIX_LEN, size >>> 0, true);
  return p;
}

/** SECURE_BOOT_INIT: no (16-byte) BOOT_MAC_KEY skips the boot (NO_SECURE_BOOT, device usable). */
export function bootInit(c: SheCtx, a: { size: number; sizeOk: boolean }): BootAnswer {
  return bootAction(c, SheAction.SECURE_BOOT_INIT, () => {
    if (!a.sizeOk) return answer(WhError.SHE_GENERAL_ERROR);
    const b = c.she.boot;
    if (b.state !== SbState.INIT) return answer(WhError.SHE_SEQUENCE_ERROR);
    b.size = a.size >>> 0;
    const key = readSheKey(c.keys, sheKeyId(c.user, SheSlot.BOOT_MAC_KEY));
    if (key.rc !== WhError.OK || key.value.data.length !== SHE_KEY_SIZE) {
      b.state = SbState.SUCCESS;
      b.cmacKeyFound = false;
      b.epoch++;
      return answer(WhError.SHE_NO_SECURE_BOOT);
    }
    const mac = new AesCmac(key.value.data);
    mac.update(bootMacPrefix(a.size));
    b.cmacKeyFound = true;
    b.key = key.value.data;
    b.cmac = mac.state();
    b.received = 0;
    b.state = SbState.UPDATE;
    b.epoch++;
    return answer(WhError.OK);
  }, refusedBoot);
}

/** What an UPDATE needs to compute its chunk's CMAC outside the owner. */
export type BootUpdateBegin = BootAnswer & { readonly work?: { readonly key: Uint8Array; readonly cmac: CmacState; readonly epoch: number } };

/**
 * SECURE_BOOT_UPDATE, first half: the checks (state, chunk size, not past the
 * announced size), answered at once when one fails; otherwise a snapshot of the
 * running CMAC for the engine.
 */
export function bootUpdateBegin(c: SheCtx, a: { sz: number; sizeOk: boolean }): BootUpdateBegin {
  return bootAction<BootUpdateBegin>(c, SheAction.SECURE_BOOT_UPDATE, () => {
    const b = c.she.boot;
    if (b.state !== SbState.UPDATE) return answer(WhError.SHE_SEQUENCE_ERROR);
    if (!a.sizeOk) return answer(WhError.SHE_GENERAL_ERROR);
    if (b.received + a.sz > b.size) return answer(WhError.SHE_SEQUENCE_ERROR);
    return { ...answer(WhError.OK), work: { key: b.key!.slice(), cmac: { ...b.cmac, buffer: b.cmac.buffer.slice(), digest: b.cmac.digest.slice() }, epoch: b.epoch } };
  }, refusedBoot);
}

/** The commit of an UPDATE: `stale` when the boot state moved since the snapshot (the caller starts over). */
export type BootUpdateCommit = BootAnswer & { readonly stale?: true };

/**
 * SECURE_BOOT_UPDATE, second half: applies the chunk's CMAC state if the boot is
 * still where the snapshot saw it (same epoch), so the read-check-write is decided
 * on fresh state in this one turn; the last chunk moves the boot to FINISH.
 */
export function bootUpdateCommit(c: SheCtx, a: { epoch: number; sz: number; cmac: CmacState | null }): BootUpdateCommit {
  const b = c.she.boot;
  if (b.epoch !== a.epoch) return { ...answer(WhError.OK), stale: true };
  if (!a.cmac) {
    resetBoot(b);
    return answer(WhError.SHE_GENERAL_ERROR);
  }
  b.received += a.sz;
  b.cmac = a.cmac;
  if (b.received === b.size) b.state = SbState.FINISH;
  b.epoch++;
  return answer(WhError.OK);
}

/** SECURE_BOOT_FINISH: the final CMAC against BOOT_MAC; a mismatch fails the boot (and resets it to INIT). */
export function bootFinish(c: SheCtx, a: { sizeOk: boolean }): BootAnswer {
  return bootAction(c, SheAction.SECURE_BOOT_FINISH, () => {
    if (!a.sizeOk) return answer(WhError.SHE_GENERAL_ERROR);
    const b = c.she.boot;
    if (b.state !== SbState.FINISH || !b.key) return answer(WhError.SHE_SEQUENCE_ERROR);
    const fin = new AesCmac(b.key, b.cmac).final(SHE_KEY_SIZE);
    if (fin.rc !== 0 || !('mac' in fin)) return answer(WhError.SHE_GENERAL_ERROR);
    const expected = readSheKey(c.keys, sheKeyId(c.user, SheSlot.BOOT_MAC));
    if (expected.rc !== WhError.OK) return answer(WhError.SHE_KEY_NOT_AVAILABLE);
    if (!sameBytes(fin.mac, expected.value.data)) {
      b.state = SbState.FAILURE;
      return answer(WhError.SHE_GENERAL_ERROR);
    }
    b.state = SbState.SUCCESS;
    b.epoch++;
    return answer(WhError.OK);
  }, refusedBoot);
}

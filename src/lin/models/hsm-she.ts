import { createCipheriv } from 'node:crypto';
import type { OwnerOp } from '../../actors/owner-ops.js';
import type { KeyCache } from '../../keystore/key-cache.js';
import { SheAction } from '../../she/she-constants.js';
import type { SheState } from '../../she/she-state.js';

/**
 * SHE operations of the whole-HSM model: each mirrors its handler's owner message
 * and computes what the handler computes outside the owner with node:crypto.
 */
export type HsmSheInput =
  /** SET_UID (per process: every later connection sees it). */
  | { readonly op: 'she.setUid'; readonly client: number; readonly session: string; readonly uid: readonly number[] }
  /** SECURE_BOOT_INIT: without a BOOT_MAC_KEY the device counts as booted (NO_SECURE_BOOT). */
  | { readonly op: 'she.secureBootInit'; readonly client: number; readonly session: string; readonly size: number }
  /** LOAD_KEY with client-made M1..M3: the answer's M4 and M5 on success. */
  | { readonly op: 'she.loadKey'; readonly client: number; readonly session: string; readonly m1: readonly number[]; readonly m2: readonly number[]; readonly m3: readonly number[] }
  /** ENC_ECB of whole blocks with the key in `slot`. */
  | { readonly op: 'she.encEcb'; readonly client: number; readonly session: string; readonly slot: number; readonly data: readonly number[] };

type Run = (op: OwnerOp) => { rc: number; [k: string]: unknown };

export function applyShe(input: HsmSheInput, run: Run, local: KeyCache): { rc: number; value?: unknown } {
  const who = { local, user: input.client };
  switch (input.op) {
    case 'she.setUid':
      return { rc: run({ kind: 'she.setUid', args: { ...who, uid: Uint8Array.from(input.uid), sizeOk: true } } as OwnerOp).rc };
    case 'she.secureBootInit':
      return { rc: run({ kind: 'she.bootInit', args: { ...who, size: input.size, sizeOk: true } } as OwnerOp).rc };
    case 'she.loadKey': {
      const args = { ...who, m1: Uint8Array.from(input.m1), m2: Uint8Array.from(input.m2), m3: Uint8Array.from(input.m3), sizeOk: true };
      const r = run({ kind: 'she.loadKey', args } as OwnerOp) as { rc: number; m4?: Uint8Array; m5?: Uint8Array };
      return r.rc === 0 ? { rc: 0, value: { m4: Array.from(r.m4!), m5: Array.from(r.m5!) } } : { rc: r.rc };
    }
    case 'she.encEcb': {
      const r = run({ kind: 'she.useKey', args: { ...who, action: SheAction.ENC_ECB, slot: input.slot, sizeOk: true } } as OwnerOp) as { rc: number; key?: Uint8Array };
      if (r.rc !== 0) return { rc: r.rc };
      const c = createCipheriv('aes-128-ecb', r.key!, null).setAutoPadding(false);
      return { rc: 0, value: Array.from(Buffer.concat([c.update(Uint8Array.from(input.data)), c.final()])) };
    }
  }
}

/** SHE's global state as text (byte arrays as hex), part of the model's state. */
export function sheText(s: SheState): string {
  return JSON.stringify(s, (_k, v: unknown) => (v instanceof Uint8Array ? { $hex: Buffer.from(v).toString('hex') } : v));
}

export function loadShe(text: string): SheState {
  return JSON.parse(text, (_k, v: unknown) => (v && typeof v === 'object' && '$hex' in v ? new Uint8Array(Buffer.from((v as { $hex: string }).$hex, 'hex')) : v)) as SheState;
}

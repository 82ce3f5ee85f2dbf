import { sheKdf } from './aes-mp.js';
import { aesBlock, cbcZeroIv, cmac16, concat, sameBytes } from './she-crypto.js';
import { KEY_UPDATE_ENC_C, KEY_UPDATE_MAC_C, SHE_KEY_SIZE, SHE_UID_SIZE } from './she-constants.js';

/**
 * The SHE key-update protocol (spec-cert-she-custom 2.6): M1 names the slots, M2
 * carries counter, flags and key encrypted under K1 = KDF(auth, ENC_C), M3 is the
 * CMAC of M1 ‖ M2 under K2 = KDF(auth, MAC_C); M4/M5 prove the new key back.
 */

/** FID bits as the SHE specification packs them after the counter (most significant first). */
export const SheFid = { WRITE_PROTECTION: 0x10, BOOT_PROTECTION: 0x08, DEBUGGER_PROTECTION: 0x04, KEY_USAGE: 0x02, WILDCARD: 0x01 } as const;

export interface KeyUpdateMessages {
  readonly m1: Uint8Array;
  readonly m2: Uint8Array;
  readonly m3: Uint8Array;
  readonly m4: Uint8Array;
  readonly m5: Uint8Array;
}

export interface KeyUpdateInput {
  readonly uid: Uint8Array;
  readonly targetSlot: number;
  readonly authSlot: number;
  readonly authKey: Uint8Array;
  readonly newKey: Uint8Array;
  /** 28-bit counter; must exceed the slot's stored counter. */
  readonly counter: number;
  /** 5-bit FID (SheFid bits). */
  readonly fid?: number;
}

const slots = (target: number, auth: number) => ((target & 0x0f) << 4) | (auth & 0x0f);

/** M1 = UID(15) ‖ target<<4 | auth. */
export function messageOne(uid: Uint8Array, targetSlot: number, authSlot: number): Uint8Array {
  const m1 = new Uint8Array(16);
  m1.set(uid.subarray(0, SHE_UID_SIZE));
  m1[15] = slots(targetSlot, authSlot);
  return m1;
}

/** M2's plaintext: counter (28 bits) ‖ FID (5 bits) ‖ 95 zero bits ‖ key. */
export function messageTwoPlain(counter: number, fid: number, key: Uint8Array): Uint8Array {
  const p = new Uint8Array(32);
  new DataView(p.buffer).setUint32(0, (((counter & 0x0fffffff) << 4) | ((fid >> 1) & 0x0f)) >>> 0, false);
  p[4] = (fid & 1) << 7;
  p.set(key.subarray(0, SHE_KEY_SIZE), 16);
  return p;
}

/** M4 ‖ M5 for a key just stored: UID ‖ slots ‖ AES(K3, counter<<4 | 0x8 ‖ 0...), then CMAC under K4. */
export function proofMessages(uid: Uint8Array, targetSlot: number, authSlot: number, newKey: Uint8Array, counter: number): { m4: Uint8Array; m5: Uint8Array } {
  const k3 = sheKdf(newKey, KEY_UPDATE_ENC_C);
  const k4 = sheKdf(newKey, KEY_UPDATE_MAC_C);
  const block = new Uint8Array(16);
  new DataView(block.buffer).setUint32(0, ((counter << 4) | 0x8) >>> 0, false);
  const m4 = concat(messageOne(uid, targetSlot, authSlot), aesBlock(k3, block));
  return { m4, m5: cmac16(k4, m4) };
}

/** Everything a key-update sender computes (wolfHSM's GenerateLoadableKey, SHE-spec FID packing). */
export function makeKeyUpdate(i: KeyUpdateInput): KeyUpdateMessages {
  const m1 = messageOne(i.uid, i.targetSlot, i.authSlot);
  const m2 = cbcZeroIv(sheKdf(i.authKey, KEY_UPDATE_ENC_C), messageTwoPlain(i.counter, i.fid ?? 0, i.newKey), true);
  const m3 = cmac16(sheKdf(i.authKey, KEY_UPDATE_MAC_C), concat(m1, m2));
  return { m1, m2, m3, ...proofMessages(i.uid, i.targetSlot, i.authSlot, i.newKey, i.counter) };
}

/** The receiver's first steps: M3 must be the CMAC of M1 ‖ M2 under K2; then M2 decrypted under K1 (null if M3 is wrong). */
export function openKeyUpdate(authKey: Uint8Array, m1: Uint8Array, m2: Uint8Array, m3: Uint8Array): Uint8Array | null {
  const mac = cmac16(sheKdf(authKey, KEY_UPDATE_MAC_C), concat(m1, m2));
  if (!sameBytes(mac, m3)) return null;
  return cbcZeroIv(sheKdf(authKey, KEY_UPDATE_ENC_C), m2, false);
}

export const targetSlotOf = (m1: Uint8Array): number => (m1[15]! >> 4) & 0x0f;
export const authSlotOf = (m1: Uint8Array): number => m1[15]! & 0x0f;

/** The counter in a decrypted M2: its first 28 bits. */
export const counterOf = (plain: Uint8Array): number => new DataView(plain.buffer, plain.byteOffset, 4).getUint32(0, false) >>> 4;

/**
 * The SHE flags the server stores for a decrypted M2, reproduced exactly from
 * wolfHSM: P[3]'s low nibble into bits 4..7 and P[4]'s top bit into bit 0, so a
 * SHE-spec WILDCARD is stored as WRITE_PROTECT (0x01) and WRITE_PROTECTION as 0x80.
 */
export const storedFlagsOf = (plain: Uint8Array): number => ((plain[3]! & 0x0f) << 4) | (plain[4]! >> 7);

/** SHE actions (the action byte of group 0x07), spec-cert-she-custom 2.4. */
export const SheAction = {
  SET_UID: 0,
  SECURE_BOOT_INIT: 1,
  SECURE_BOOT_UPDATE: 2,
  SECURE_BOOT_FINISH: 3,
  GET_STATUS: 4,
  LOAD_KEY: 5,
  LOAD_PLAIN_KEY: 6,
  EXPORT_RAM_KEY: 7,
  INIT_RND: 8,
  RND: 9,
  EXTEND_SEED: 10,
  ENC_ECB: 11,
  ENC_CBC: 12,
  DEC_ECB: 13,
  DEC_CBC: 14,
  GEN_MAC: 15,
  VERIFY_MAC: 16,
} as const;
export type SheActionValue = (typeof SheAction)[keyof typeof SheAction];

export const isSheAction = (a: number): a is SheActionValue => Number.isInteger(a) && a >= 0 && a <= SheAction.VERIFY_MAC;

/** The three secure-boot actions: allowed before the boot succeeded, and reset the boot state when they fail. */
export const isBootAction = (a: number): boolean =>
  a === SheAction.SECURE_BOOT_INIT || a === SheAction.SECURE_BOOT_UPDATE || a === SheAction.SECURE_BOOT_FINISH;

/** Key slots (2.1); a request's slot number is the key id's number, masked to 8 bits. */
export const SheSlot = {
  SECRET_KEY: 0,
  MASTER_ECU_KEY: 1,
  BOOT_MAC_KEY: 2,
  BOOT_MAC: 3,
  KEY_1: 4,
  KEY_10: 13,
  RAM_KEY: 14,
  PRNG_SEED: 15,
} as const;

/** SHE flag bits as stored in the key's label (only WRITE_PROTECT and WILDCARD are enforced). */
export const SheFlag = {
  WRITE_PROTECT: 0x01,
  BOOT_PROTECT: 0x02,
  DEBUGGER_PROTECTION: 0x04,
  KEY_USAGE: 0x08,
  WILDCARD: 0x10,
} as const;

/** Status register bits (GET_STATUS, 2.9); BUSY, BOOT_INIT and the debugger bits are never set. */
export const SheSreg = {
  BUSY: 0x01,
  SECURE_BOOT: 0x02,
  BOOT_INIT: 0x04,
  BOOT_FINISHED: 0x08,
  BOOT_OK: 0x10,
  RND_INIT: 0x20,
  EXT_DEBUGGER: 0x40,
  INT_DEBUGGER: 0x80,
} as const;

export const SHE_KEY_SIZE = 16;
export const SHE_UID_SIZE = 15;
/** The boot MAC covers 12 zero bytes and the image size before the image. */
export const SHE_BOOT_MAC_PREFIX_LEN = 12;

const constant = (id: number) => Uint8Array.from([0x01, id, 0x53, 0x48, 0x45, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0xb0]);
/** KDF constants (2.5): "\x01<id>SHE\x00" with the SHE padding for a 256-bit message already in place. */
export const KEY_UPDATE_ENC_C = constant(0x01);
export const KEY_UPDATE_MAC_C = constant(0x02);
export const PRNG_KEY_C = constant(0x04);
export const PRNG_SEED_KEY_C = constant(0x05);

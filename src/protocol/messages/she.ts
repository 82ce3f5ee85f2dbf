import { bytes, struct, structWithTail } from '../struct.js';

/**
 * SHE group (0x07) messages, spec-cert-she-custom 2.4 (compiler-verified layouts).
 * Numbers in the peer's byte order; `rc` and `status` carry SHE codes.
 */

export const SheSetUidRequest = struct('SHE SET_UID request', 16, { uid: [0, bytes(15)] });
export const SheSizeRequest = struct('SHE SECURE_BOOT_INIT request', 8, { sz: [0, 'u32'] });
/** Then `sz` image bytes. */
export const SheBootUpdateRequest = structWithTail('SHE SECURE_BOOT_UPDATE request', 8, { sz: [0, 'u32'] });
export const SheLoadKeyRequest = struct('SHE LOAD_KEY request', 64, { m1: [0, bytes(16)], m2: [16, bytes(32)], m3: [48, bytes(16)] });
export const SheKeyRequest = struct('SHE LOAD_PLAIN_KEY request', 16, { key: [0, bytes(16)] });
export const SheExtendSeedRequest = struct('SHE EXTEND_SEED request', 16, { entropy: [0, bytes(16)] });
/** ENC_ECB / DEC_ECB: then the data. */
export const SheEcbRequest = structWithTail('SHE ECB request', 8, { sz: [0, 'u32'], keyId: [4, 'u8'] });
/** ENC_CBC / DEC_CBC: then the data. */
export const SheCbcRequest = structWithTail('SHE CBC request', 24, { sz: [0, 'u32'], keyId: [4, 'u8'], iv: [8, bytes(16)] });
/** Then the message. */
export const SheGenMacRequest = structWithTail('SHE GEN_MAC request', 8, { keyId: [0, 'u32'], sz: [4, 'u32'] });
/** Then `messageLen` message bytes and `macLen` MAC bytes. */
export const SheVerifyMacRequest = structWithTail('SHE VERIFY_MAC request', 16, { keyId: [0, 'u32'], messageLen: [4, 'u32'], macLen: [8, 'u32'] });

export const SheRcResponse = struct('SHE SET_UID response', 8, { rc: [0, 'i32'] });
/** SECURE_BOOT_*, INIT_RND, EXTEND_SEED. */
export const SheStatusResponse = struct('SHE status response', 8, { rc: [0, 'i32'], status: [4, 'i32'] });
export const SheGetStatusResponse = struct('SHE GET_STATUS response', 12, { rc: [0, 'i32'], sreg: [4, 'u8'] });
export const SheLoadKeyResponse = struct('SHE LOAD_KEY response', 52, { rc: [0, 'i32'], m4: [4, bytes(32)], m5: [36, bytes(16)] });
export const SheLoadPlainKeyResponse = struct('SHE LOAD_PLAIN_KEY response', 4, { rc: [0, 'i32'] });
export const SheExportRamKeyResponse = struct('SHE EXPORT_RAM_KEY response', 116, {
  rc: [0, 'i32'],
  m1: [4, bytes(16)],
  m2: [20, bytes(32)],
  m3: [52, bytes(16)],
  m4: [68, bytes(32)],
  m5: [100, bytes(16)],
});
export const SheRndResponse = struct('SHE RND response', 20, { rc: [0, 'i32'], rnd: [4, bytes(16)] });
/** ENC/DEC ECB/CBC: then `sz` output bytes (on success only). */
export const SheCipherResponse = structWithTail('SHE cipher response', 8, { rc: [0, 'i32'], sz: [4, 'u32'] });
export const SheGenMacResponse = struct('SHE GEN_MAC response', 20, { rc: [0, 'i32'], mac: [4, bytes(16)] });
/** `status` 0: the MAC matched; 1: it did not. */
export const SheVerifyMacResponse = struct('SHE VERIFY_MAC response', 12, { rc: [0, 'i32'], status: [4, 'u8'] });

import { bytes, struct } from '../struct.js';

/**
 * CRYPTO KDF (action 9) messages, spec-crypto 8. Offsets are payload offsets: the
 * generic header fills 0..11 and the algorithm struct starts at 12. The inputs
 * follow each request struct, in the order of their size fields.
 */

/** HKDF (algoSubType 1): IKM (inKeySz), salt, info follow at @68. */
export const HkdfRequest = struct('CRYPTO HKDF request', 68, {
  flags: [12, 'u32'],
  keyIdIn: [16, 'u32'],
  keyIdOut: [20, 'u32'],
  hashType: [24, 'u32'],
  inKeySz: [28, 'u32'],
  saltSz: [32, 'u32'],
  infoSz: [36, 'u32'],
  outSz: [40, 'u32'],
  label: [44, bytes(24)],
});

/** Two-step CMAC KDF (algoSubType 2): salt, Z, fixedInfo follow at @68. */
export const CmacKdfRequest = struct('CRYPTO CMAC-KDF request', 68, {
  flags: [12, 'u32'],
  keyIdSalt: [16, 'u32'],
  keyIdZ: [20, 'u32'],
  keyIdOut: [24, 'u32'],
  saltSz: [28, 'u32'],
  zSz: [32, 'u32'],
  fixedInfoSz: [36, 'u32'],
  outSz: [40, 'u32'],
  label: [44, bytes(24)],
});

/** Both KDFs answer the same: the cached key's id (0 when returned) and the output size (0 when cached), output at @20. */
export const KdfResponse = struct('CRYPTO KDF response', 20, { keyIdOut: [12, 'u32'], outSz: [16, 'u32'] });
export const KDF_OUTPUT_OFFSET = 20;

import { bytes, struct, structWithTail } from '../struct.js';

/** CERT group actions (wolfhsm/wh_message_cert.h). */
export const CertAction = {
  INIT: 0x01,
  ADDTRUSTED: 0x02,
  ERASETRUSTED: 0x03,
  READTRUSTED: 0x04,
  VERIFY: 0x05,
  VERIFY_MULTI_ROOT: 0x06,
  VERIFY_CACHE_CLEAR: 0x07,
  VERIFY_CACHE_SET_ENABLED: 0x08,
  ADDTRUSTED_DMA: 0x22,
  READTRUSTED_DMA: 0x24,
  VERIFY_DMA: 0x25,
  VERIFY_ACERT: 0x26,
  VERIFY_ACERT_DMA: 0x27,
  VERIFY_MULTI_ROOT_DMA: 0x28,
} as const;

/** CERT messages (spec-cert-she-custom 1.1). Every answer leads with an i32 rc. */
export const CertSimpleResponse = struct('CERT simple response', 8, { rc: [0, 'i32'] });
export const CertAddTrustedRequest = structWithTail('CERT ADDTRUSTED request', 36, {
  certLen: [0, 'u32'],
  id: [4, 'u16'],
  access: [6, 'u16'],
  flags: [8, 'u16'],
  label: [10, bytes(24)],
});
/** ERASETRUSTED and READTRUSTED. */
export const CertIdRequest = struct('CERT ERASETRUSTED/READTRUSTED request', 8, { id: [0, 'u16'] });
export const CertReadTrustedResponse = structWithTail('CERT READTRUSTED response', 8, { rc: [0, 'i32'], certLen: [4, 'u32'] });
export const CertVerifyRequest = structWithTail('CERT VERIFY request', 12, {
  certLen: [0, 'u32'],
  rootId: [4, 'u16'],
  flags: [6, 'u16'],
  cachedKeyFlags: [8, 'u16'],
  keyId: [10, 'u16'],
});
/** Followed by `numRoots` u16 root ids, then the chain. */
export const CertVerifyMultiRootRequest = structWithTail('CERT VERIFY_MULTI_ROOT request', 16, {
  certLen: [0, 'u32'],
  numRoots: [4, 'u16'],
  flags: [6, 'u16'],
  cachedKeyFlags: [8, 'u16'],
  keyId: [10, 'u16'],
});
/** VERIFY, VERIFY_MULTI_ROOT and their DMA variants. */
export const CertVerifyResponse = struct('CERT VERIFY response', 8, { rc: [0, 'i32'], keyId: [4, 'u16'] });
export const CertSetEnabledRequest = struct('CERT VERIFY_CACHE_SET_ENABLED request', 8, { enable: [0, 'u8'] });
export const CertAddTrustedDmaRequest = struct('CERT ADDTRUSTED_DMA request', 48, {
  certAddr: [0, 'u64'],
  certLen: [8, 'u32'],
  id: [12, 'u16'],
  access: [14, 'u16'],
  flags: [16, 'u16'],
  label: [18, bytes(24)],
});
export const CertReadTrustedDmaRequest = struct('CERT READTRUSTED_DMA request', 16, { certAddr: [0, 'u64'], certLen: [8, 'u32'], id: [12, 'u16'] });
/** VERIFY_DMA and VERIFY_ACERT_DMA (which uses only address, length and root). */
export const CertVerifyDmaRequest = struct('CERT VERIFY_DMA request', 24, {
  certAddr: [0, 'u64'],
  certLen: [8, 'u32'],
  rootId: [12, 'u16'],
  flags: [14, 'u16'],
  cachedKeyFlags: [16, 'u16'],
  keyId: [18, 'u16'],
});
export const CertVerifyAcertRequest = structWithTail('CERT VERIFY_ACERT request', 8, { certLen: [0, 'u32'], rootId: [4, 'u16'] });
/** Up to eight root ids inline (u16 each, from offset 24). */
export const CertVerifyMultiRootDmaRequest = struct('CERT VERIFY_MULTI_ROOT_DMA request', 40, {
  certAddr: [0, 'u64'],
  certLen: [8, 'u32'],
  numRoots: [12, 'u16'],
  flags: [14, 'u16'],
  cachedKeyFlags: [16, 'u16'],
  keyId: [18, 'u16'],
  rootIds: [24, bytes(16)],
});

/** The u16 root ids at the start of `b`, in the request's byte order. */
export function rootIdList(b: Uint8Array, count: number, littleEndian: boolean): number[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Array.from({ length: count }, (_, i) => view.getUint16(2 * i, littleEndian));
}

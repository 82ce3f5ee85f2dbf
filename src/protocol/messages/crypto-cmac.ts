import { bytes, structWithTail } from '../struct.js';

/**
 * CRYPTO CMAC (action 7) messages, spec-crypto 7: AES-CMAC with the running state
 * (wolfCrypt's buffer, digest, bufferSz, totalSz) travelling in both directions.
 * Payload offsets; the generic header is bytes 0..11.
 */

/** Request: then `inSz` input bytes and `keySz` inline key bytes. */
export const CmacRequest = structWithTail('CRYPTO CMAC request', 68, {
  outSz: [12, 'u32'],
  inSz: [16, 'u32'],
  keySz: [20, 'u32'],
  keyId: [24, 'u16'],
  buffer: [28, bytes(16)],
  digest: [44, bytes(16)],
  bufferSz: [60, 'u32'],
  totalSz: [64, 'u32'],
});

/** Response: the state after the call (zero when finalised), the MAC length, keyId, 2 pad bytes, then the MAC. */
export const CmacResponse = structWithTail('CRYPTO CMAC response', 60, {
  buffer: [12, bytes(16)],
  digest: [28, bytes(16)],
  bufferSz: [44, 'u32'],
  totalSz: [48, 'u32'],
  outSz: [52, 'u32'],
  keyId: [56, 'u16'],
});

/** The largest inline key a request may carry (the C server's copy buffer). */
export const CMAC_MAX_KEY = 32;

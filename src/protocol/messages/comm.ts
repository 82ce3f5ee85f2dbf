import { bytes, struct, structWithTail } from '../struct.js';

/** COMM group messages (spec-wire 8). */
export const CommInitRequest = struct('COMM INIT request', 4, { clientId: [0, 'u32'] });
export const CommInitResponse = struct('COMM INIT response', 8, { clientId: [0, 'u32'], serverId: [4, 'u32'] });
export const CommInfoResponse = struct('COMM INFO response', 72, {
  dataLen: [0, 'u32'],
  nvmObjectCount: [4, 'u32'],
  keyCacheCount: [8, 'u32'],
  keyCacheBufSize: [12, 'u32'],
  keyCacheBigCount: [16, 'u32'],
  keyCacheBigBufSize: [20, 'u32'],
  customCbCount: [24, 'u32'],
  dmaAddrCount: [28, 'u32'],
  debugState: [32, 'u32'],
  bootState: [36, 'u32'],
  lifecycleState: [40, 'u32'],
  nvmState: [44, 'u32'],
  version: [48, bytes(9)],
  build: [57, bytes(9)],
});
/** ECHO: the payload mirrored. */
export const CommEcho = structWithTail('COMM ECHO', 0, {});

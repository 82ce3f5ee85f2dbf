import { bytes, struct, structWithTail } from '../struct.js';

/** The 32-byte metadata record (also the head of an ADDOBJECT request). */
const META = { id: [0, 'u16'], access: [2, 'u16'], flags: [4, 'u16'], len: [6, 'u16'], label: [8, bytes(24)] } as const;

/** NVM group messages (spec-wire 9.2). */
export const NvmRc = struct('NVM rc-only response', 4, { rc: [0, 'i32'] });
export const NvmInitRequest = struct('NVM INIT request', 4, { clientNvmId: [0, 'u32'] });
export const NvmInitResponse = struct('NVM INIT response', 12, { rc: [0, 'i32'], serverNvmId: [4, 'u32'], clientNvmId: [8, 'u32'] });
export const NvmGetAvailableResponse = struct('NVM GETAVAILABLE response', 16, {
  rc: [0, 'i32'],
  availSize: [4, 'u32'],
  reclaimSize: [8, 'u32'],
  availObjects: [12, 'u16'],
  reclaimObjects: [14, 'u16'],
});
export const NvmAddObjectRequest = structWithTail('NVM ADDOBJECT request', 32, META);
export const NvmListRequest = struct('NVM LIST request', 6, { access: [0, 'u16'], flags: [2, 'u16'], startId: [4, 'u16'] });
export const NvmListResponse = struct('NVM LIST response', 8, { rc: [0, 'i32'], count: [4, 'u16'], id: [6, 'u16'] });
export const NvmGetMetadataRequest = struct('NVM GETMETADATA request', 2, { id: [0, 'u16'] });
export const NvmGetMetadataResponse = struct('NVM GETMETADATA response', 36, {
  rc: [0, 'i32'],
  id: [4, 'u16'],
  access: [6, 'u16'],
  flags: [8, 'u16'],
  len: [10, 'u16'],
  label: [12, bytes(24)],
});
export const NVM_MAX_DESTROY_OBJECTS = 19;
export const NvmDestroyObjectsRequest = struct('NVM DESTROYOBJECTS request', 40, { count: [0, 'u16'], ids: [2, bytes(38)] });
export const NvmReadRequest = struct('NVM READ request', 6, { id: [0, 'u16'], offset: [2, 'u16'], dataLen: [4, 'u16'] });
export const NvmReadResponse = structWithTail('NVM READ response', 4, { rc: [0, 'i32'] });
export const NvmAddObjectDmaRequest = struct('NVM ADDOBJECTDMA request', 24, { metadataAddr: [0, 'u64'], dataAddr: [8, 'u64'], dataLen: [16, 'u16'] });
export const NvmReadDmaRequest = struct('NVM READDMA request', 16, { dataAddr: [0, 'u64'], id: [8, 'u16'], offset: [10, 'u16'], dataLen: [12, 'u16'] });

/** The destroy list's ids as u16s (the struct carries them as 38 raw bytes in the peer's order). */
export function destroyIds(raw: Uint8Array, count: number, littleEndian: boolean): number[] {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: Math.min(count, NVM_MAX_DESTROY_OBJECTS) }, (_, i) => v.getUint16(2 * i, littleEndian));
}

export function destroyIdBytes(ids: readonly number[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(38);
  const v = new DataView(out.buffer);
  ids.slice(0, NVM_MAX_DESTROY_OBJECTS).forEach((id, i) => v.setUint16(2 * i, id, littleEndian));
  return out;
}

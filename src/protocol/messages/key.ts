import { bytes, struct, structWithTail } from '../struct.js';

/** KEY group messages, non-crypto actions (spec-wire 10.2). */
export const KeyCacheRequest = structWithTail('KEY CACHE request', 40, {
  flags: [0, 'u32'],
  sz: [4, 'u32'],
  labelLen: [8, 'u32'],
  id: [12, 'u16'],
  label: [16, bytes(24)],
});
export const KeyIdResponse = struct('KEY CACHE/CACHE_RANDOM response', 12, { rc: [0, 'i32'], id: [4, 'u16'] });
export const KeyIdRequest = struct('KEY EVICT/EXPORT/COMMIT/ERASE/REVOKE request', 8, { id: [0, 'u16'] });
export const KeyOkResponse = struct('KEY EVICT/COMMIT/ERASE response', 12, { rc: [0, 'i32'], ok: [4, 'u32'] });
export const KeyRevokeResponse = struct('KEY REVOKE response', 8, { rc: [0, 'i32'] });
export const KeyExportResponse = structWithTail('KEY EXPORT response', 36, { rc: [0, 'i32'], len: [4, 'u32'], label: [8, bytes(24)] });
export const KeyCacheDmaRequest = struct('KEY CACHE_DMA request', 56, {
  keyAddr: [0, 'u64'],
  keySize: [8, 'u64'],
  flags: [16, 'u32'],
  labelLen: [20, 'u32'],
  id: [24, 'u16'],
  label: [26, bytes(24)],
});
export const KeyCacheDmaResponse = struct('KEY CACHE_DMA response', 24, { badAddr: [0, 'u64'], badSize: [8, 'u64'], rc: [16, 'i32'], id: [20, 'u16'] });
export const KeyExportDmaRequest = struct('KEY EXPORT_DMA request', 24, { keyAddr: [0, 'u64'], keySize: [8, 'u64'], id: [16, 'u16'] });
export const KeyExportDmaResponse = struct('KEY EXPORT_DMA response', 48, {
  badAddr: [0, 'u64'],
  badSize: [8, 'u64'],
  rc: [16, 'i32'],
  len: [20, 'u32'],
  label: [24, bytes(24)],
});
export const KeyCacheRandomRequest = struct('KEY CACHE_RANDOM request', 40, {
  flags: [0, 'u32'],
  labelLen: [4, 'u32'],
  sz: [8, 'u16'],
  id: [10, 'u16'],
  label: [16, bytes(24)],
});
/** EXPORT_PUBLIC (spec-keys-crypto 9): the key and wolfHSM's key-algorithm number; the answer is KeyExportResponse. */
export const KeyExportPublicRequest = struct('KEY EXPORT_PUBLIC request', 8, { id: [0, 'u16'], algo: [2, 'u16'] });
/** EXPORT_PUBLIC_DMA: the client buffer, key and algorithm; the answer is KeyExportDmaResponse. */
export const KeyExportPublicDmaRequest = struct('KEY EXPORT_PUBLIC_DMA request', 24, { keyAddr: [0, 'u64'], keySize: [8, 'u64'], id: [16, 'u16'], algo: [18, 'u16'] });

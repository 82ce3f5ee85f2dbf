import { bytes, struct, structWithTail } from '../struct.js';

/**
 * KEY group wrap actions (spec-keys-crypto 4-8). KEY messages have no generic
 * header: offsets are from the start of the payload. Blobs, keys and data follow
 * each fixed part.
 */

/** The 32-byte metadata record as it travels in KEYWRAP requests and KEYUNWRAPEXPORT responses (client byte order). */
export const WrapMetadata = struct('KEY wrap metadata', 32, {
  id: [0, 'u16'],
  access: [2, 'u16'],
  flags: [4, 'u16'],
  len: [6, 'u16'],
  label: [8, bytes(24)],
});

/** KEYWRAP (8): the metadata record @6 then keySz key bytes @38 follow this header. */
export const KeyWrapRequest = structWithTail('KEY KEYWRAP request', 6, { keySz: [0, 'u16'], serverKeyId: [2, 'u16'], cipherType: [4, 'u16'] });
export const KEYWRAP_METADATA_OFFSET = 6;

/** KEYWRAPEXPORT (16): wrap a key the server holds. */
export const KeyWrapExportRequest = struct('KEY KEYWRAPEXPORT request', 8, {
  keyId: [0, 'u16'],
  keyType: [2, 'u16'],
  serverKeyId: [4, 'u16'],
  cipherType: [6, 'u16'],
});

/** KEYWRAP / KEYWRAPEXPORT response: the blob follows. */
export const KeyWrapResponse = structWithTail('KEY KEYWRAP response', 8, { rc: [0, 'i32'], wrappedKeySz: [4, 'u16'], cipherType: [6, 'u16'] });

/** KEYUNWRAPEXPORT (9) and KEYUNWRAPCACHE (10) requests: the blob follows. */
export const KeyUnwrapRequest = structWithTail('KEY KEYUNWRAP request', 8, { wrappedKeySz: [0, 'u16'], serverKeyId: [2, 'u16'], cipherType: [4, 'u16'] });

/** KEYUNWRAPEXPORT response: always the metadata record (zero on failure), then keySz key bytes. */
export const KeyUnwrapExportResponse = structWithTail('KEY KEYUNWRAPEXPORT response', 40, {
  rc: [0, 'i32'],
  keySz: [4, 'u16'],
  cipherType: [6, 'u16'],
  id: [8, 'u16'],
  access: [10, 'u16'],
  flags: [12, 'u16'],
  len: [14, 'u16'],
  label: [16, bytes(24)],
});

/** KEYUNWRAPCACHE response: the cached key's client id. */
export const KeyUnwrapCacheResponse = struct('KEY KEYUNWRAPCACHE response', 8, { rc: [0, 'i32'], keyId: [4, 'u16'], cipherType: [6, 'u16'] });

/** DATAWRAP (11) request (data follows) and DATAUNWRAP (12) request (blob follows): one layout. */
export const DataWrapRequest = structWithTail('KEY DATAWRAP/DATAUNWRAP request', 8, { size: [0, 'u32'], serverKeyId: [4, 'u16'], cipherType: [6, 'u16'] });

/** DATAWRAP / DATAUNWRAP response: blob or data at @12 (pad @10 is zero). */
export const DataWrapResponse = structWithTail('KEY DATAWRAP/DATAUNWRAP response', 12, { rc: [0, 'i32'], size: [4, 'u32'], cipherType: [8, 'u16'] });

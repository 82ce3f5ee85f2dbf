import { bytes, struct } from '../struct.js';

/** CUSTOM group messages (spec-wire 12.1, spec-cert-she-custom 3.1). The kind's action byte is the callback slot. */
export const CustomCbRequest = struct('CUSTOM request', 264, { id: [0, 'u32'], type: [4, 'u32'], data: [8, bytes(256)] });
export const CustomCbResponse = struct('CUSTOM response', 272, { id: [0, 'u32'], type: [4, 'u32'], rc: [8, 'i32'], err: [12, 'i32'], data: [16, bytes(256)] });
/** The data area of a DMA32 / DMA64 message (translated field by field; the rest of the area is not). */
export const CustomCbDma32 = struct('CUSTOM DMA32 data', 16, { clientAddr: [0, 'u32'], clientSize: [4, 'u32'], serverAddr: [8, 'u32'], serverSize: [12, 'u32'] });
export const CustomCbDma64 = struct('CUSTOM DMA64 data', 32, { clientAddr: [0, 'u64'], clientSize: [8, 'u64'], serverAddr: [16, 'u64'], serverSize: [24, 'u64'] });

export const CUSTOM_DATA_SIZE = 256;
export const CustomCbType = { QUERY: 0, DMA32: 1, DMA64: 2, USER_DEFINED_START: 8 } as const;

export type CustomDma32 = NonNullable<ReturnType<typeof CustomCbDma32.decode>>;
export type CustomDma64 = NonNullable<ReturnType<typeof CustomCbDma64.decode>>;

/**
 * The data area of a CUSTOM message as its `type` says to read it: nothing for
 * QUERY (0) and the reserved types 3..7, four addresses/sizes for DMA32 (1) and
 * DMA64 (2), 256 opaque bytes (never byte-swapped) for user types (≥ 8).
 */
export type CustomCbBody =
  | { readonly kind: 'none'; readonly type: number }
  | { readonly kind: 'dma32'; readonly dma: CustomDma32 }
  | { readonly kind: 'dma64'; readonly dma: CustomDma64 }
  | { readonly kind: 'user'; readonly type: number; readonly data: Uint8Array };

export const CUSTOM_QUERY: CustomCbBody = { kind: 'none', type: CustomCbType.QUERY };

/** The body a received `type` and data area stand for (wh_MessageCustomCb_Translate*). */
export function decodeCustomBody(type: number, data: Uint8Array, littleEndian: boolean): CustomCbBody {
  if (type >= CustomCbType.USER_DEFINED_START) return { kind: 'user', type, data: data.slice(0, CUSTOM_DATA_SIZE) };
  if (type === CustomCbType.DMA32) return { kind: 'dma32', dma: CustomCbDma32.decode(data, littleEndian)! };
  if (type === CustomCbType.DMA64) return { kind: 'dma64', dma: CustomCbDma64.decode(data, littleEndian)! };
  return { kind: 'none', type };
}

/** The wire type of a body; a body whose type contradicts its kind is a programming error. */
export function customBodyType(body: CustomCbBody): number {
  switch (body.kind) {
    case 'dma32':
      return CustomCbType.DMA32;
    case 'dma64':
      return CustomCbType.DMA64;
    case 'none':
      if (body.type === CustomCbType.QUERY || (body.type > CustomCbType.DMA64 && body.type < CustomCbType.USER_DEFINED_START)) return body.type;
      throw new RangeError(`CUSTOM type ${body.type} carries data; only 0 and 3..7 have none`);
    case 'user':
      if (!Number.isInteger(body.type) || body.type < CustomCbType.USER_DEFINED_START || body.type > 0xffffffff) throw new RangeError(`CUSTOM user type ${body.type} is not in 8..0xffffffff`);
      if (body.data.length > CUSTOM_DATA_SIZE) throw new RangeError(`CUSTOM user data of ${body.data.length} bytes exceeds ${CUSTOM_DATA_SIZE}`);
      return body.type;
  }
}

/**
 * Writes a body over `area` (a data area already holding whatever the C peer's
 * buffer would hold there): only the fields its type translates are written,
 * so 'none' leaves the area as it is, and user data is copied zero-padded.
 */
export function writeCustomBody(body: CustomCbBody, area: Uint8Array, littleEndian: boolean): void {
  if (body.kind === 'dma32') area.set(CustomCbDma32.encode(body.dma, littleEndian));
  else if (body.kind === 'dma64') area.set(CustomCbDma64.encode(body.dma, littleEndian));
  else if (body.kind === 'user') {
    area.fill(0);
    area.set(body.data);
  }
}

/**
 * Declarative fixed-layout structs: one definition gives the encoder and the
 * decoder of a wolfHSM message, in either byte order, so the two cannot drift
 * apart (the message translation layer of wh_message_*.c).
 */
import { payloadWithRoom } from './packet-room.js';

export type FieldType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | { readonly bytes: number };
export type Field = readonly [offset: number, type: FieldType];

type FieldValue<T extends FieldType> = T extends 'u64' ? bigint : T extends { bytes: number } ? Uint8Array : number;
export type StructValue<F extends Record<string, Field>> = { -readonly [K in keyof F]: FieldValue<F[K][1]> };
/** A struct followed by variable-length data (a key, object bytes, an echo). */
export type WithTail<T> = T & { data: Uint8Array };

export interface StructCodec<T> {
  readonly name: string;
  /** Size of the fixed part. */
  readonly size: number;
  readonly fields: Readonly<Record<string, Field>>;
  /** True when variable-length `data` follows the fixed part. */
  readonly tail: boolean;
  encode(value: T, littleEndian: boolean): Uint8Array;
  /** The fixed part from `value` followed by `parts` back to back (a tail in pieces, without joining them first). */
  encodeTail(value: Omit<T, 'data'>, parts: readonly Uint8Array[], littleEndian: boolean): Uint8Array;
  /** Null when `bytes` is shorter than the fixed part; padding is ignored. */
  decode(bytes: Uint8Array, littleEndian: boolean): T | null;
  /**
   * decode, with the tail a view into `bytes` instead of a copy: for callers done with
   * it before anything can change `bytes` (a request's own packet, consumed by the
   * request that carried it).
   */
  decodeView(bytes: Uint8Array, littleEndian: boolean): T | null;
}

function write(view: DataView, out: Uint8Array, [off, type]: Field, v: unknown, le: boolean): void {
  if (typeof type === 'object') out.set((v as Uint8Array).subarray(0, type.bytes), off);
  else if (type === 'u8') view.setUint8(off, v as number);
  else if (type === 'u16') view.setUint16(off, v as number, le);
  else if (type === 'u32') view.setUint32(off, (v as number) >>> 0, le);
  else if (type === 'i32') view.setInt32(off, v as number, le);
  else view.setBigUint64(off, v as bigint, le);
}

function read(view: DataView, bytes: Uint8Array, [off, type]: Field, le: boolean): unknown {
  if (typeof type === 'object') return bytes.slice(off, off + type.bytes);
  if (type === 'u8') return view.getUint8(off);
  if (type === 'u16') return view.getUint16(off, le);
  if (type === 'u32') return view.getUint32(off, le);
  if (type === 'i32') return view.getInt32(off, le);
  return view.getBigUint64(off, le);
}

function codec<T>(name: string, size: number, fields: Record<string, Field>, tail: boolean): StructCodec<T> {
  const entries = Object.entries(fields);
  const decodeFixed = (bytes: Uint8Array, le: boolean, tailOf: (b: Uint8Array) => Uint8Array): T | null => {
    if (bytes.length < size) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v: Record<string, unknown> = {};
    for (const [k, f] of entries) v[k] = read(view, bytes, f, le);
    if (tail) v.data = tailOf(bytes);
    return v as T;
  };
  return {
    name,
    size,
    fields,
    tail,
    encode(value, le) {
      const data = tail ? (value as { data: Uint8Array }).data : undefined;
      const out = payloadWithRoom(size + (data?.length ?? 0));
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      for (const [k, f] of entries) write(view, out, f, (value as Record<string, unknown>)[k], le);
      if (data) out.set(data, size);
      return out;
    },
    encodeTail(value, parts, le) {
      let total = size;
      for (const p of parts) total += p.length;
      const out = payloadWithRoom(total);
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      for (const [k, f] of entries) if (k !== 'data') write(view, out, f, (value as Record<string, unknown>)[k], le);
      let off = size;
      for (const p of parts) {
        out.set(p, off);
        off += p.length;
      }
      return out;
    },
    decode(bytes, le) {
      return decodeFixed(bytes, le, (b) => b.slice(size));
    },
    decodeView(bytes, le) {
      return decodeFixed(bytes, le, (b) => b.subarray(size));
    },
  };
}

export function struct<const F extends Record<string, Field>>(name: string, size: number, fields: F): StructCodec<StructValue<F>> {
  return codec(name, size, fields, false);
}

export function structWithTail<const F extends Record<string, Field>>(name: string, size: number, fields: F): StructCodec<WithTail<StructValue<F>>> {
  return codec(name, size, fields, true);
}

/**
 * Decodes as wolfHSM reads a request struct it does not size-check: bytes missing from
 * a short payload read as zeros (the C server reads whatever its buffer holds there).
 */
export function decodeZeroPadded<T>(codec: StructCodec<T>, payload: Uint8Array, littleEndian: boolean): T {
  if (payload.length >= codec.size) return codec.decode(payload, littleEndian)!;
  const full = new Uint8Array(codec.size);
  full.set(payload);
  return codec.decode(full, littleEndian)!;
}

export const bytes = (n: number): { readonly bytes: number } => ({ bytes: n });

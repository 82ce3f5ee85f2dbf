/** NVM object metadata (whNvmMetadata): exactly 32 bytes on flash and on the wire. */

export const NVM_METADATA_SIZE = 32;
export const NVM_LABEL_LEN = 24;
export const NVM_ID_INVALID = 0;
export const NVM_ACCESS_NONE = 0;
export const NVM_ACCESS_ANY = 0xffff;

/** whNvmFlags bits. */
export const NvmFlags = {
  NONE: 0x0000,
  NONMODIFIABLE: 0x0001,
  SENSITIVE: 0x0002,
  NONEXPORTABLE: 0x0004,
  LOCAL: 0x0008,
  EPHEMERAL: 0x0010,
  USAGE_ENCRYPT: 0x0020,
  USAGE_DECRYPT: 0x0040,
  USAGE_SIGN: 0x0080,
  USAGE_VERIFY: 0x0100,
  USAGE_WRAP: 0x0200,
  USAGE_DERIVE: 0x0400,
  NONDESTROYABLE: 0x0800,
  TRUSTED: 0x1000,
  USAGE_ANY: 0x07e0,
  SERVER_ONLY: 0x1000,
  ANY: 0xffff,
} as const;

export interface NvmMetadata {
  readonly id: number;
  readonly access: number;
  readonly flags: number;
  /** Data length in bytes. */
  readonly len: number;
  /** Exactly 24 bytes, zero padded, not necessarily NUL-terminated. */
  readonly label: Uint8Array;
}

/** Builds metadata with u16 fields masked and the label cut/padded to 24 bytes. */
export function makeMetadata(fields: {
  id: number;
  access?: number;
  flags?: number;
  len?: number;
  label?: Uint8Array | string;
}): NvmMetadata {
  return {
    id: fields.id & 0xffff,
    access: (fields.access ?? NVM_ACCESS_ANY) & 0xffff,
    flags: (fields.flags ?? 0) & 0xffff,
    len: (fields.len ?? 0) & 0xffff,
    label: toLabel(fields.label),
  };
}

export function toLabel(label: Uint8Array | string | undefined): Uint8Array {
  const out = new Uint8Array(NVM_LABEL_LEN);
  if (label === undefined) return out;
  const bytes = typeof label === 'string' ? new TextEncoder().encode(label) : label;
  out.set(bytes.subarray(0, NVM_LABEL_LEN));
  return out;
}

/** The label as text, up to its first NUL. */
export function labelText(label: Uint8Array): string {
  const end = label.indexOf(0);
  return new TextDecoder().decode(end < 0 ? label : label.subarray(0, end));
}

/** A copy with another length (the label is copied too: what the store keeps is its own). */
export function withLen(meta: NvmMetadata, len: number): NvmMetadata {
  return { ...meta, len: len & 0xffff, label: meta.label.slice() };
}

export function withFlags(meta: NvmMetadata, flags: number): NvmMetadata {
  return { ...meta, flags: flags & 0xffff };
}

/** Little-endian encoding: the byte order of our flash images and of wolfHSM on x86/ARM. */
export function encodeMetadata(meta: NvmMetadata, out: Uint8Array = new Uint8Array(NVM_METADATA_SIZE), offset = 0, littleEndian = true): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset + offset, NVM_METADATA_SIZE);
  v.setUint16(0, meta.id, littleEndian);
  v.setUint16(2, meta.access, littleEndian);
  v.setUint16(4, meta.flags, littleEndian);
  v.setUint16(6, meta.len, littleEndian);
  out.set(meta.label.subarray(0, NVM_LABEL_LEN), offset + 8);
  return out;
}

export function decodeMetadata(bytes: Uint8Array, offset = 0, littleEndian = true): NvmMetadata {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, NVM_METADATA_SIZE);
  return {
    id: v.getUint16(0, littleEndian),
    access: v.getUint16(2, littleEndian),
    flags: v.getUint16(4, littleEndian),
    len: v.getUint16(6, littleEndian),
    label: bytes.slice(offset + 8, offset + 8 + NVM_LABEL_LEN),
  };
}

export const EMPTY_METADATA: NvmMetadata = Object.freeze({
  id: 0,
  access: 0,
  flags: 0,
  len: 0,
  label: new Uint8Array(NVM_LABEL_LEN),
});

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function metadataEqual(a: NvmMetadata, b: NvmMetadata): boolean {
  return a.id === b.id && a.access === b.access && a.flags === b.flags && a.len === b.len && bytesEqual(a.label, b.label);
}

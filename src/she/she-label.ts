import { NVM_LABEL_LEN } from '../nvm/metadata.js';

/**
 * A SHE key's counter and flags live in its NVM label (2.1): bytes 0..3 the counter,
 * 4..7 the flags, both big-endian; the rest zero.
 */
export interface SheKeyMeta {
  readonly counter: number;
  readonly flags: number;
}

export function sheLabel(counter: number, flags: number, base?: Uint8Array): Uint8Array {
  const label = new Uint8Array(NVM_LABEL_LEN);
  if (base) label.set(base.subarray(0, NVM_LABEL_LEN));
  const v = new DataView(label.buffer);
  v.setUint32(0, counter >>> 0, false);
  v.setUint32(4, flags >>> 0, false);
  return label;
}

export function sheKeyMeta(label: Uint8Array): SheKeyMeta {
  const v = new DataView(label.buffer, label.byteOffset, label.byteLength);
  return { counter: v.getUint32(0, false), flags: v.getUint32(4, false) };
}

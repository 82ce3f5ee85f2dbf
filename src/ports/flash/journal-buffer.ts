import type { FlashBarrier } from './flash-port.js';
import type { JournalItem } from './journal.js';

const WRITE = 0;
const FILL = 1;
const BARRIER = 2;
const BARRIERS: readonly FlashBarrier[] = ['prepared', 'commit', 'ordered', 'erased'];
const MIN_CAPACITY = 4096;

/**
 * The write-behind journal packed into one growing buffer: a program costs one
 * copy into it (no allocation per write), and a batch leaves as one ArrayBuffer
 * that can be transferred to the persist worker without serialising anything.
 *
 * Records: tag u8, then for a write offset u32, length u32 and the bytes; for a
 * fill offset u32, size u32, byte u8; for a barrier its kind u8. Little endian.
 */
export class JournalBuffer {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;
  /** Records queued since the last take. */
  count = 0;

  constructor() {
    this.buf = fresh(MIN_CAPACITY);
    this.view = new DataView(this.buf.buffer);
  }

  write(offset: number, data: Uint8Array): void {
    const at = this.reserve(9 + data.length);
    this.view.setUint8(at, WRITE);
    this.view.setUint32(at + 1, offset, true);
    this.view.setUint32(at + 5, data.length, true);
    this.buf.set(data, at + 9);
  }

  fill(offset: number, size: number, byte: number): void {
    const at = this.reserve(10);
    this.view.setUint8(at, FILL);
    this.view.setUint32(at + 1, offset, true);
    this.view.setUint32(at + 5, size, true);
    this.view.setUint8(at + 9, byte);
  }

  barrier(kind: FlashBarrier): void {
    const at = this.reserve(2);
    this.view.setUint8(at, BARRIER);
    this.view.setUint8(at + 1, BARRIERS.indexOf(kind));
  }

  private spare: ArrayBuffer | null = null;

  /** A buffer that came back from the persister: the next take reuses it instead of allocating. */
  recycle(buffer: ArrayBuffer): void {
    if (!this.spare || buffer.byteLength > this.spare.byteLength) this.spare = buffer;
  }

  /** Everything queued, as a view at offset 0 of a buffer nobody else holds; the journal starts afresh. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.len);
    // Sized for a batch like this one: a compaction's journal fits in one allocation, or in a returned buffer.
    const want = Math.max(MIN_CAPACITY, 2 ** Math.ceil(Math.log2(this.len + 1)));
    if (this.spare && this.spare.byteLength >= want) {
      this.buf = new Uint8Array(this.spare);
      this.spare = null;
    } else this.buf = fresh(want);
    this.view = new DataView(this.buf.buffer);
    this.len = 0;
    this.count = 0;
    return out;
  }

  /** Drops everything queued (the store failed). */
  clear(): void {
    this.len = 0;
    this.count = 0;
  }

  private reserve(n: number): number {
    if (this.len + n > this.buf.length) {
      const bigger = fresh(Math.max(this.buf.length * 2, this.len + n));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    }
    const at = this.len;
    this.len += n;
    this.count++;
    return at;
  }
}

/** A buffer of its own (transferable), not zero-filled: every byte is written before it is read. */
function fresh(size: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
}

/** The records of a taken journal, in order; writes are views into `packed` (no copies). */
export function unpackJournal(packed: Uint8Array): JournalItem[] {
  const v = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const items: JournalItem[] = [];
  let at = 0;
  while (at < packed.length) {
    const tag = v.getUint8(at);
    if (tag === WRITE) {
      const offset = v.getUint32(at + 1, true);
      const n = v.getUint32(at + 5, true);
      items.push({ kind: 'write', offset, bytes: packed.subarray(at + 9, at + 9 + n) });
      at += 9 + n;
    } else if (tag === FILL) {
      items.push({ kind: 'fill', offset: v.getUint32(at + 1, true), size: v.getUint32(at + 5, true), byte: v.getUint8(at + 9) });
      at += 10;
    } else if (tag === BARRIER) {
      items.push({ kind: 'barrier', barrier: BARRIERS[v.getUint8(at + 1)]! });
      at += 2;
    } else throw new Error(`corrupt journal record ${tag} at ${at}`);
  }
  return items;
}

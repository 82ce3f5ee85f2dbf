/**
 * Little helpers to read and write fixed wolfHSM structs in the peer's byte order.
 * Reads past the end yield 0, so a handler can decode first and validate the size
 * separately, as the C server does.
 */
import { payloadWithRoom } from './packet-room.js';

export class StructReader {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  u8(off: number): number {
    return off < this.bytes.length ? this.bytes[off]! : 0;
  }
  u16(off: number): number {
    return off + 2 <= this.bytes.length ? this.view.getUint16(off, this.littleEndian) : 0;
  }
  u32(off: number): number {
    return off + 4 <= this.bytes.length ? this.view.getUint32(off, this.littleEndian) : 0;
  }
  i32(off: number): number {
    return off + 4 <= this.bytes.length ? this.view.getInt32(off, this.littleEndian) : 0;
  }
  u64(off: number): bigint {
    return off + 8 <= this.bytes.length ? this.view.getBigUint64(off, this.littleEndian) : 0n;
  }
  slice(off: number, len: number): Uint8Array {
    return this.bytes.slice(Math.min(off, this.bytes.length), Math.min(off + len, this.bytes.length));
  }
}

export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(
    size: number,
    readonly littleEndian: boolean,
  ) {
    this.bytes = payloadWithRoom(size);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  u8(off: number, v: number): this {
    this.bytes[off] = v & 0xff;
    return this;
  }
  u16(off: number, v: number): this {
    this.view.setUint16(off, v & 0xffff, this.littleEndian);
    return this;
  }
  u32(off: number, v: number): this {
    this.view.setUint32(off, v >>> 0, this.littleEndian);
    return this;
  }
  i32(off: number, v: number): this {
    this.view.setInt32(off, v | 0, this.littleEndian);
    return this;
  }
  u64(off: number, v: bigint): this {
    this.view.setBigUint64(off, BigInt.asUintN(64, v), this.littleEndian);
    return this;
  }
  set(off: number, data: Uint8Array): this {
    this.bytes.set(data, off);
    return this;
  }
}

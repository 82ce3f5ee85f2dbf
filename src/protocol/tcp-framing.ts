import { HEADER_SIZE } from './header.js';
import { FRAME_PREFIX, takeFrameRoom } from './packet-room.js';

export { FRAME_PREFIX };

/** The POSIX TCP transport's frame: u32 big-endian length, then the packet (spec-wire 2.1). */
export function encodeFrame(packet: Uint8Array): Uint8Array {
  // A packet built with frame room (packet-room.ts) gets its length in place; any other is copied.
  const room = takeFrameRoom(packet);
  const out = room ?? new Uint8Array(FRAME_PREFIX + packet.length);
  new DataView(out.buffer, out.byteOffset, FRAME_PREFIX).setUint32(0, packet.length, false);
  if (!room) out.set(packet, FRAME_PREFIX);
  return out;
}

/** Buffer capacity kept once a decoder has been drained. */
const RETAINED_CAPACITY = 64 * 1024;

export type FrameEvent = { readonly frame: Uint8Array } | { readonly error: string };

/**
 * Incremental frame decoder for one byte stream. Pure and synchronous. Bytes go
 * in with `append`; whole packets come out one at a time with `next`, so a
 * server can leave received requests undecoded until it is ready for them (and
 * see how many bytes it holds). A length of 0, below the 8-byte header, or above
 * the MTU is a framing error; the stream is unusable after one.
 */
export class FrameDecoder {
  /** Received bytes live in buf[start, end); the buffer is compacted or grown on append. */
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private failed: string | null = null;

  constructor(readonly mtu: number) {}

  /** Bytes received and not yet returned as frames. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /** True while bytes are held but they do not make a whole frame yet. */
  get midFrame(): boolean {
    if (this.bufferedBytes === 0 || this.failed) return false;
    const len = this.headLength();
    return len === null || (this.validLength(len) && this.bufferedBytes - FRAME_PREFIX < len);
  }

  append(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    if (this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next whole frame, a framing error (once), or null when more bytes are needed. */
  next(): FrameEvent | null {
    if (this.failed) return null;
    const len = this.headLength();
    if (len === null) return null;
    if (!this.validLength(len)) {
      this.failed = `bad frame length ${len} (allowed ${HEADER_SIZE}..${this.mtu})`;
      this.buf = new Uint8Array(0);
      this.start = this.end = 0;
      return { error: this.failed };
    }
    if (this.bufferedBytes - FRAME_PREFIX < len) return null;
    const frame = this.buf.slice(this.start + FRAME_PREFIX, this.start + FRAME_PREFIX + len);
    this.start += FRAME_PREFIX + len;
    if (this.start === this.end) {
      this.start = this.end = 0;
      // Do not keep a flood's worth of capacity around for an idle connection.
      if (this.buf.length > RETAINED_CAPACITY) this.buf = new Uint8Array(0);
    }
    return { frame };
  }

  /** Appends a chunk and returns every frame (and error) it completes. */
  push(chunk: Uint8Array): FrameEvent[] {
    this.append(chunk);
    const out: FrameEvent[] = [];
    for (let ev = this.next(); ev; ev = this.next()) out.push(ev);
    return out;
  }

  private makeRoom(extra: number): void {
    const need = this.bufferedBytes + extra;
    if (need <= this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      const grown = new Uint8Array(Math.max(2 * this.buf.length, need));
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    this.end -= this.start;
    this.start = 0;
  }

  /** The head frame's length prefix, or null while fewer than 4 bytes are held. */
  private headLength(): number | null {
    if (this.bufferedBytes < FRAME_PREFIX) return null;
    return new DataView(this.buf.buffer, this.buf.byteOffset + this.start, FRAME_PREFIX).getUint32(0, false);
  }

  private validLength(len: number): boolean {
    return len >= HEADER_SIZE && len <= this.mtu;
  }
}

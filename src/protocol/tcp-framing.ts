import { HEADER_SIZE } from './header.js';

/** The POSIX TCP transport's frame: u32 big-endian length, then the packet (spec-wire 2.1). */
export const FRAME_PREFIX = 4;

export function encodeFrame(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_PREFIX + packet.length);
  new DataView(out.buffer).setUint32(0, packet.length, false);
  out.set(packet, FRAME_PREFIX);
  return out;
}

export type FrameEvent = { readonly frame: Uint8Array } | { readonly error: string };

/**
 * Incremental frame decoder for one byte stream. Pure and synchronous: feed it
 * chunks, get whole packets back. A length of 0, below the 8-byte header, or
 * above the MTU is a framing error; the stream is unusable after one.
 */
export class FrameDecoder {
  private buf = new Uint8Array(0);
  private failed: string | null = null;

  constructor(readonly mtu: number) {}

  /** True while a frame has started but not finished (for partial-frame timeouts). */
  get midFrame(): boolean {
    return this.buf.length > 0;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    if (this.failed) return [];
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    const out: FrameEvent[] = [];
    let off = 0;
    while (joined.length - off >= FRAME_PREFIX) {
      const len = new DataView(joined.buffer, off, FRAME_PREFIX).getUint32(0, false);
      if (len < HEADER_SIZE || len > this.mtu) {
        this.failed = `bad frame length ${len} (allowed ${HEADER_SIZE}..${this.mtu})`;
        out.push({ error: this.failed });
        this.buf = new Uint8Array(0);
        return out;
      }
      if (joined.length - off - FRAME_PREFIX < len) break;
      out.push({ frame: joined.slice(off + FRAME_PREFIX, off + FRAME_PREFIX + len) });
      off += FRAME_PREFIX + len;
    }
    this.buf = joined.slice(off);
    return out;
  }
}

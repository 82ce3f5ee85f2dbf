/**
 * Payloads built with room in front for what wraps them on the way out: the 8-byte
 * comm header and, over TCP, the 4-byte frame length. Packing such a payload writes
 * the header in place, and framing that packet writes the length in place, instead of
 * copying the bytes into a new buffer at each step (up to four copies of every request
 * and answer saved). Only buffers allocated here are ever taken over, and each step
 * once: a payload or packet that is a view into anything else (a request's own packet,
 * a caller's array) is copied as before.
 */
import { HEADER_SIZE } from './header.js';

/** The TCP transport's length prefix (spec-wire 2.1). */
export const FRAME_PREFIX = 4;
// header.ts imports this module: HEADER_SIZE is read when called, never at load (an import cycle).
const room = () => FRAME_PREFIX + HEADER_SIZE;

/** Buffers whose payload still waits for its header, and those whose packet still waits for its frame length. */
const headerRoom = new WeakSet<ArrayBufferLike>();
const frameRoom = new WeakSet<ArrayBufferLike>();

/** A zeroed payload of `size` bytes with room before it for the header and the frame length. */
export function payloadWithRoom(size: number): Uint8Array {
  const whole = new Uint8Array(room() + size);
  headerRoom.add(whole.buffer);
  return whole.subarray(room());
}

/** The packet-sized view over `payload`'s buffer (header room first) the first time it is packed; else null. */
export function takeHeaderRoom(payload: Uint8Array): Uint8Array | null {
  const buffer = payload.buffer;
  const r = room();
  if (payload.byteOffset !== r || buffer.byteLength !== r + payload.byteLength || !headerRoom.delete(buffer)) return null;
  frameRoom.add(buffer);
  return new Uint8Array(buffer, FRAME_PREFIX);
}

/** The frame-sized view over `packet`'s buffer (length room first) the first time it is framed; else null. */
export function takeFrameRoom(packet: Uint8Array): Uint8Array | null {
  const buffer = packet.buffer;
  if (packet.byteOffset !== FRAME_PREFIX || buffer.byteLength !== FRAME_PREFIX + packet.byteLength || !frameRoom.delete(buffer)) return null;
  return new Uint8Array(buffer);
}

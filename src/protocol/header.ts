/**
 * The 8-byte wolfHSM comm header (wh_comm.h): magic, kind, seq, aux, each u16 in
 * the sender's byte order. The magic's high byte 0xA5 read in host (little-endian)
 * order means the peer is little-endian; anything else is answered byte-swapped,
 * as the C server does.
 */
import { takeHeaderRoom } from './packet-room.js';

export const HEADER_SIZE = 8;
export const MAGIC_NATIVE = 0xa501;
export const DEFAULT_DATA_LEN = 8192;

export interface PacketHeader {
  /** The magic exactly as received, echoed in the answer. */
  readonly magic: number;
  readonly kind: number;
  readonly seq: number;
  readonly aux: number;
  /** Byte order the peer speaks; every numeric field follows it. */
  readonly littleEndian: boolean;
}

export interface Packet {
  readonly header: PacketHeader;
  readonly payload: Uint8Array;
}

export const groupOf = (kind: number): number => kind & 0xff00;
export const actionOf = (kind: number): number => kind & 0x00ff;

/** Splits a packet; null when it is shorter than the header (a fatal comm error in wolfHSM). */
export function decodePacket(bytes: Uint8Array): Packet | null {
  if (bytes.length < HEADER_SIZE) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hostMagic = v.getUint16(0, true);
  const littleEndian = hostMagic >> 8 === 0xa5;
  return {
    header: {
      magic: v.getUint16(0, littleEndian),
      kind: v.getUint16(2, littleEndian),
      seq: v.getUint16(4, littleEndian),
      aux: v.getUint16(6, littleEndian),
      littleEndian,
    },
    payload: bytes.subarray(HEADER_SIZE),
  };
}

export function encodePacket(header: PacketHeader, payload: Uint8Array): Uint8Array {
  // A payload built with header room (packet-room.ts) gets its header in place; any other is copied.
  const room = takeHeaderRoom(payload);
  const out = room ?? new Uint8Array(HEADER_SIZE + payload.length);
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const le = header.littleEndian;
  v.setUint16(0, header.magic, le);
  v.setUint16(2, header.kind, le);
  v.setUint16(4, header.seq, le);
  v.setUint16(6, header.aux, le);
  if (!room) out.set(payload, HEADER_SIZE);
  return out;
}

/** A request header as a little-endian client would send it. */
export function requestHeader(kind: number, seq: number, aux = 0): PacketHeader {
  return { magic: MAGIC_NATIVE, kind, seq: seq & 0xffff, aux, littleEndian: true };
}

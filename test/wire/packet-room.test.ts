import { describe, expect, it } from 'vitest';
import { encodePacket, HEADER_SIZE, requestHeader } from '../../src/protocol/header.js';
import { FRAME_PREFIX, payloadWithRoom, takeFrameRoom, takeHeaderRoom } from '../../src/protocol/packet-room.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/tcp-framing.js';
import { structWithTail } from '../../src/protocol/struct.js';

const Demo = structWithTail('demo', 8, { a: [0, 'u32'], b: [4, 'u16'] });

describe('payloads with header room', () => {
  it('are taken over once, in place; anything else is not', () => {
    const p = payloadWithRoom(4);
    expect(p.byteOffset).toBe(FRAME_PREFIX + HEADER_SIZE);
    const packet = takeHeaderRoom(p);
    expect(packet?.buffer).toBe(p.buffer);
    expect(packet?.byteOffset).toBe(FRAME_PREFIX);
    expect(takeHeaderRoom(p)).toBeNull(); // once
    expect(takeFrameRoom(packet!)?.buffer).toBe(p.buffer);
    expect(takeFrameRoom(packet!)).toBeNull(); // once
    const foreign = new Uint8Array(FRAME_PREFIX + HEADER_SIZE + 4).subarray(FRAME_PREFIX + HEADER_SIZE);
    expect(takeHeaderRoom(foreign)).toBeNull(); // same shape, not ours
    expect(takeHeaderRoom(payloadWithRoom(4).subarray(1))).toBeNull(); // a view into ours
    expect(takeFrameRoom(payloadWithRoom(4))).toBeNull(); // a payload is no packet
  });

  it('pack to the same bytes as a copied payload, and the packet owns the payload bytes', () => {
    const header = requestHeader(0x0105, 7);
    const value = { a: 0x01020304, b: 0x0506, data: new Uint8Array([9, 8, 7]) };
    const roomy = Demo.encode(value, true);
    const copied = Uint8Array.from(roomy);
    const packet = encodePacket(header, roomy);
    expect(packet).toEqual(encodePacket(header, copied));
    expect(packet.buffer).toBe(roomy.buffer); // no copy
    expect(encodePacket(header, copied).buffer).not.toBe(copied.buffer);
    // Packing a roomy payload a second time copies: the first packet is not overwritten.
    const again = encodePacket(requestHeader(0x0105, 8), roomy);
    expect(again.buffer).not.toBe(roomy.buffer);
    expect(new DataView(packet.buffer, packet.byteOffset).getUint16(4, true)).toBe(7);
  });

  it('frame to the same bytes as a copied packet, in place, and decode back', () => {
    const header = requestHeader(0x0105, 9);
    const packet = encodePacket(header, Demo.encode({ a: 1, b: 2, data: new Uint8Array([5, 6]) }, true));
    const copy = Uint8Array.from(packet);
    const frame = encodeFrame(packet);
    expect(frame).toEqual(encodeFrame(copy));
    expect(frame.buffer).toBe(packet.buffer);
    const events = new FrameDecoder(1024).push(frame);
    expect(events).toEqual([{ frame: copy }]);
  });
});

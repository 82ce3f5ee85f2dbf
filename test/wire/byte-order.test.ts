import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, type PacketHeader } from '../../src/protocol/header.js';
import { CommInitRequest, CommInitResponse, NvmAddObjectRequest, NvmReadRequest, NvmReadResponse, NvmRc } from '../../src/protocol/messages/index.js';
import { testServer } from '../helpers/server-fixture.js';

/** Raw exchanges, so the test controls the header's byte order and magic. */
function rawClient() {
  const { server } = testServer();
  const { client } = server.connectMemory();
  let seq = 0;
  return async (magic: number, littleEndian: boolean, kind: number, payload: Uint8Array) => {
    const header: PacketHeader = { magic, kind, seq: ++seq, aux: 0x1234, littleEndian };
    const p = decodePacket(await client.request(encodePacket(header, payload)))!;
    return { p, sent: header };
  };
}

describe('byte order and magic (spec-wire 5, 13)', () => {
  it('a big-endian client is answered big-endian, every field in its order, magic/kind/seq/aux echoed', async () => {
    const send = rawClient();
    const { p, sent } = await send(0xa501, false, 0x0101, CommInitRequest.encode({ clientId: 7 }, false));
    expect(p.header).toEqual({ ...sent, littleEndian: false });
    expect(CommInitResponse.decode(p.payload, false)).toEqual({ clientId: 7, serverId: 57 });
    const add = NvmAddObjectRequest.encode({ id: 0x0102, access: 0xffff, flags: 0, len: 3, label: new Uint8Array(24), data: Uint8Array.from([1, 2, 3]) }, false);
    expect(NvmRc.decode((await send(0xa501, false, 0x0204, add)).p.payload, false)).toEqual({ rc: 0 });
    const read = await send(0xa501, false, 0x0208, NvmReadRequest.encode({ id: 0x0102, offset: 0, dataLen: 3 }, false));
    expect(NvmReadResponse.decode(read.p.payload, false)).toEqual({ rc: 0, data: Uint8Array.from([1, 2, 3]) });
    // The same object as a little-endian client sees it: id 0x0201 is another object.
    const le = await send(0xa501, true, 0x0208, NvmReadRequest.encode({ id: 0x0102, offset: 0, dataLen: 3 }, true));
    expect(NvmReadResponse.decode(le.p.payload, true)).toEqual({ rc: 0, data: Uint8Array.from([1, 2, 3]) });
  });

  it('a magic with another version byte (0xA502) is served normally and echoed', async () => {
    const send = rawClient();
    const { p } = await send(0xa502, true, 0x0105, Uint8Array.from([9, 8, 7]));
    expect(p.header.magic).toBe(0xa502);
    expect(Array.from(p.payload)).toEqual([9, 8, 7]);
  });
});

import { describe, expect, it } from 'vitest';
import { Group, kind } from '../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { StructWriter } from '../../src/protocol/bytes.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import { testServer } from '../helpers/server-fixture.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const header = (algoType: number, le = true) => CryptoRequestHeader.encode({ algoType, algoSubType: 0, affinity: 0 }, le);

describe('CRYPTO group (0x04): the generic envelope', () => {
  it('an algorithm that is not here gets wolfHSM\'s NOT_COMPILED_IN answer: algoType echoed, -174, 0', async () => {
    const { client } = testServer().connect();
    // CIPHER algoType 5 (AES-XTS), spec-crypto 2.4 [observed]
    const r = await client.request(kind(Group.CRYPTO, 2), new Uint8Array([...header(5), ...new Uint8Array(16)]));
    expect(hex(r.bytes)).toBe('0500000052ffffff00000000');
    // actions 0 and 8 (NONE, CERT)
    for (const action of [0, 8, 12]) expect(hex((await client.request(kind(Group.CRYPTO, action), header(action))).bytes)).toBe(`${action.toString(16).padStart(2, '0')}00000052ffffff00000000`);
  });

  it('a payload shorter than the generic header is sent back verbatim', async () => {
    const { client } = testServer().connect();
    const short = Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0]);
    expect(hex((await client.request(kind(Group.CRYPTO, 4), short)).bytes)).toBe(hex(short));
  });

  it('RNG: sz bytes of the server RNG, capped at DATA_LEN - 16; sz 0 answers 16 bytes; a short struct is BADARGS', async () => {
    let n = 0;
    const { client } = testServer({ random: (len) => Uint8Array.from({ length: len }, () => n++ & 0xff) }).connect();
    const ask = (sz: number) => client.request(kind(Group.CRYPTO, 4), new StructWriter(16, true).set(0, header(4)).u32(12, sz).bytes);
    const r = await ask(5);
    expect(hex(r.bytes)).toBe('04000000000000000000000005000000' + '0001020304');
    const big = await ask(100000);
    expect(big.length).toBe(8192);
    expect(big.u32(12)).toBe(8176);
    expect((await ask(0)).length).toBe(16);
    expect(hex((await client.request(kind(Group.CRYPTO, 4), header(4))).bytes)).toBe('0400000030f8ffff00000000');
  });

  it('big-endian clients get big-endian headers', async () => {
    const { client } = testServer().server.connectMemory();
    const packet = encodePacket({ magic: 0xa501, kind: kind(Group.CRYPTO, 2), seq: 1, aux: 0, littleEndian: false }, new Uint8Array([...header(5, false), ...new Uint8Array(16)]));
    const p = decodePacket(await client.request(packet))!;
    expect(p.header.littleEndian).toBe(false);
    expect(hex(p.payload)).toBe('00000005ffffff5200000000');
  });
});

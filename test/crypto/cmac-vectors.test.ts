import { describe, expect, it } from 'vitest';
import { cmacFinal, cmacGenerate, cmacStart, cmacUpdate, type CmacClientState } from '../../src/client/crypto/cmac.js';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { cmacGenerate as cmacGenerateJob } from '../../src/crypto/cmac/jobs.js';
import { aesCmacClient, hex, unhex } from './helpers/aes-cmac.js';

/** RFC 4493 section 4 (AES-128) and NIST SP 800-38B D.2/D.3 (AES-192/256): MACs of 0, 16, 40 and 64 message bytes. */
const MSG = unhex('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710');
const VECTORS = [
  { bits: 128, key: unhex('2b7e151628aed2a6abf7158809cf4f3c'), macs: ['bb1d6929e95937287fa37d129b756746', '070a16b46b4d4144f79bdd9dd04a287c', 'dfa66747de9ae63030ca32611497c827', '51f0bebf7e3b9d92fc49741779363cfe'] },
  { bits: 192, key: unhex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b'), macs: ['d17ddf46adaacde531cac483de7a9367', '9e99a7bf31e710900662f65e617c5184', '8a1de5be2eb31aad089a82e6ee908b0e', 'a1d5df0eed790f794d77589659f39a11'] },
  {
    bits: 256,
    key: unhex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'),
    macs: ['028962f61b7bf89efc6b551f4667d983', '28a7023f452e8f82bd4bf28d8c37c35c', 'aaf3d8f1de5640c232f5b169b9c911e6', 'e1992190549f6ed5696a2c056c315410'],
  },
];
const LENGTHS = [0, 16, 40, 64];

/** The state wolfCrypt keeps after absorbing n bytes from scratch: the last block always waits in the buffer. */
function expectedCounts(n: number): { bufferSz: number; totalSz: number } {
  if (n === 0) return { bufferSz: 0, totalSz: 0 };
  return { bufferSz: ((n - 1) % 16) + 1, totalSz: 16 * Math.floor((n - 1) / 16) };
}

/** Feeds `msg` in the given pieces (one update request each, the state carried by the client), then finalises. */
async function macInPieces(client: HsmClient, ref: { key: Uint8Array } | { keyId: number }, msg: Uint8Array, cuts: number[]): Promise<string> {
  let state: CmacClientState = cmacStart();
  let off = 0;
  for (const end of [...cuts, msg.length]) {
    const u = await cmacUpdate(client, { ...ref, state, data: msg.subarray(off, end) });
    if (!('state' in u)) throw new Error(`update rc ${u.rc}`);
    expect({ end, ...{ bufferSz: u.state.bufferSz, totalSz: u.state.totalSz } }).toEqual({ end, ...expectedCounts(end) });
    state = u.state;
    off = end;
  }
  const f = await cmacFinal(client, { ...ref, state });
  if (!('mac' in f)) throw new Error(`final rc ${f.rc}`);
  return hex(f.mac);
}

describe('AES-CMAC known answers (RFC 4493, SP 800-38B D.2, D.3)', () => {
  it.each(VECTORS)('AES-$bits: one-shot MACs of the four example messages, inline key and stored key', async ({ key, macs }) => {
    const { client } = aesCmacClient();
    const { keyId } = await client.keyCache(0, key, { flags: 0x80 });
    for (const [i, n] of LENGTHS.entries()) {
      const inline = await cmacGenerate(client, { key, data: MSG.subarray(0, n) });
      expect('mac' in inline && hex(inline.mac)).toBe(macs[i]);
      const stored = await cmacGenerate(client, { keyId, data: MSG.subarray(0, n) });
      expect('mac' in stored && hex(stored.mac)).toBe(macs[i]);
    }
  });

  it('RFC 4493 example 4 split into two requests at every offset 0..64, the state checked after each', async () => {
    const { client } = aesCmacClient();
    const { key, macs } = VECTORS[0]!;
    for (let cut = 0; cut <= 64; cut++) expect({ cut, mac: await macInPieces(client, { key }, MSG, [cut]) }).toEqual({ cut, mac: macs[3] });
  });

  it('split at every 16-byte boundary and at odd offsets across many requests, by key id', async () => {
    const { client } = aesCmacClient();
    const { key, macs } = VECTORS[2]!;
    const { keyId } = await client.keyCache(0, key, { flags: 0x80 });
    const splits = [[16, 32, 48], [1, 3, 5, 7, 9, 11, 13, 15, 17, 31, 33, 47, 49, 63], [15, 17, 31, 33], [0, 0, 16, 16, 64], [7, 23, 39, 55]];
    for (const cuts of splits) expect({ cuts, mac: await macInPieces(client, { keyId }, MSG, cuts) }).toEqual({ cuts, mac: macs[3] });
    for (const cuts of [[5, 11], [16], [39]]) expect({ cuts, mac: await macInPieces(client, { keyId }, MSG.subarray(0, 40), cuts) }).toEqual({ cuts, mac: macs[2] });
  });

  it('the observed state: update with the 40-byte message, then final', async () => {
    const { client } = aesCmacClient();
    const key = VECTORS[0]!.key;
    const u = await cmacUpdate(client, { key, state: cmacStart(), data: MSG.subarray(0, 40) });
    if (!('state' in u)) throw new Error(`rc ${u.rc}`);
    expect({ buffer: hex(u.state.buffer), digest: hex(u.state.digest), bufferSz: u.state.bufferSz, totalSz: u.state.totalSz }).toEqual({
      buffer: '30c81c46a35ce4113629a55f61c961c6',
      digest: 'b148c17f309ee692287ae57cf12add49',
      bufferSz: 8,
      totalSz: 32,
    });
    const f = await cmacFinal(client, { key, state: u.state });
    expect('mac' in f && hex(f.mac)).toBe('dfa66747de9ae63030ca32611497c827');
  });

  it('MAC lengths 4..16 are prefixes of the full MAC', async () => {
    const { client } = aesCmacClient();
    const { key, macs } = VECTORS[0]!;
    for (let n = 4; n <= 16; n++) {
      const r = await cmacGenerate(client, { key, data: MSG.subarray(0, 16), macSize: n });
      expect('mac' in r && hex(r.mac)).toBe(macs[1]!.slice(0, 2 * n));
    }
  });

  it('a message longer than one request goes as updates then a final, with the MAC of the whole', async () => {
    const { client } = aesCmacClient();
    const key = VECTORS[1]!.key;
    const data = Uint8Array.from({ length: 20000 }, (_, i) => (i * 31 + 7) & 0xff);
    const r = await cmacGenerate(client, { key, data });
    const expected = cmacGenerateJob({ key, input: data, outSz: 16 });
    expect('mac' in r && hex(r.mac)).toBe('mac' in expected ? hex(expected.mac) : 'no mac');
    // The largest one-shot input of the C client (8092 bytes) fits one request.
    const one = await cmacGenerate(client, { key, data: data.subarray(0, 8092) });
    const oneExpected = cmacGenerateJob({ key, input: data.subarray(0, 8092), outSz: 16 });
    expect('mac' in one && hex(one.mac)).toBe('mac' in oneExpected ? hex(oneExpected.mac) : 'no mac');
  });
});

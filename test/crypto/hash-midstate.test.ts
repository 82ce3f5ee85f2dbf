import { describe, expect, it } from 'vitest';
import { HsmHash, hashStep, type HashState } from '../../src/client/crypto/hash.js';
import { HASH_ALGORITHMS } from '../../src/crypto/hash/hash-variants.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import { Sha256Request, Sha2Response, Sha3Request, Sha3Response } from '../../src/protocol/messages/crypto-hash.js';
import { ALGORITHMS, BLOCK, hashServer, hex, nodeDigest, pattern } from './hash-fixture.js';
import type { HashAlgorithm } from '../../src/client/crypto/hash.js';

const initial = (algorithm: HashAlgorithm): HashState => ({ state: HASH_ALGORITHMS[algorithm].initialState, loLen: 0, hiLen: 0 });

/** One request through the client, failing the test on a non-zero rc. */
async function step(client: Parameters<typeof hashStep>[0], algorithm: HashAlgorithm, from: HashState, input: Uint8Array, final: boolean) {
  const r = await hashStep(client, algorithm, from, input, final);
  if (r.rc !== 0 || !('state' in r)) throw new Error(`rc ${r.rc}`);
  return r;
}

describe('HASH mid-state resumption', () => {
  it.each(ALGORITHMS)('%s: a message split at every offset into two updates gives node:crypto\'s digest', async (algorithm) => {
    const { client } = hashServer().connect();
    const msg = pattern(2 * BLOCK[algorithm] + 7);
    const expected = nodeDigest(algorithm, msg);
    for (let cut = 0; cut <= msg.length; cut++) {
      const h = new HsmHash(client, algorithm);
      expect(await h.update(msg.subarray(0, cut))).toBe(0);
      expect(await h.update(msg.subarray(cut))).toBe(0);
      const r = await h.digest();
      expect({ cut, md: r.digest && hex(r.digest) }).toEqual({ cut, md: expected });
    }
  });

  it.each(ALGORITHMS)('%s: odd three-way splits across requests, and an object reused after its digest', async (algorithm) => {
    const { client } = hashServer().connect();
    const b = BLOCK[algorithm];
    const msg = pattern(5 * b + 11, 3);
    const h = new HsmHash(client, algorithm);
    for (const [x, y] of [[1, b + 1], [b - 1, 3 * b + 5], [b, 2 * b], [7, 5 * b + 10], [2 * b + 3, 2 * b + 3]] as const) {
      for (const part of [msg.subarray(0, x), msg.subarray(x, y), msg.subarray(y)]) expect(await h.update(part)).toBe(0);
      expect({ x, y, md: hex((await h.digest()).digest!) }).toEqual({ x, y, md: nodeDigest(algorithm, msg) });
    }
  });

  it.each(ALGORITHMS)('%s: one multi-block request leaves the same state as one request per block', async (algorithm) => {
    const { client } = hashServer().connect();
    const b = BLOCK[algorithm];
    const msg = pattern(4 * b, 5);
    const multi = await step(client, algorithm, initial(algorithm), msg, false);
    let single = initial(algorithm);
    for (let off = 0; off < msg.length; off += b) single = (await step(client, algorithm, single, msg.subarray(off, off + b), false)).state;
    expect(hex(multi.state.state)).toBe(hex(single.state));
    expect([multi.state.loLen, multi.state.hiLen]).toEqual([single.loLen, single.hiLen]);
    if (!algorithm.startsWith('sha3')) expect(multi.state.loLen).toBe(4 * b);
    const fin = await step(client, algorithm, multi.state, pattern(b - 1, 6), true);
    expect(hex(fin.digest)).toBe(nodeDigest(algorithm, new Uint8Array([...msg, ...pattern(b - 1, 6)])));
  });

  it('the states match wolfCrypt\'s observed ones (spec-crypto 5.2, 6)', async () => {
    const { client } = hashServer().connect();
    const a64 = new Uint8Array(64).fill(0x61);
    const s256 = await step(client, 'sha256', initial('sha256'), a64, false);
    expect(hex(s256.state.state).slice(0, 16)).toBe('1cb85bdf26061ee8');
    expect([s256.state.loLen, s256.state.hiLen]).toEqual([64, 0]);
    const fin = await step(client, 'sha256', s256.state, new TextEncoder().encode('abc'), true);
    expect(hex(fin.digest)).toMatch(/^18917c887594f95a.*a64275$/);
    expect(hex(fin.digest)).toBe(nodeDigest('sha256', new Uint8Array([...a64, 0x61, 0x62, 0x63])));
    const s3 = await step(client, 'sha3-256', initial('sha3-256'), new Uint8Array(136).fill(0x61), false);
    expect(hex(s3.state.state).slice(0, 16)).toBe('f1e1d2504cec98d4');
  });

  it('HsmHash keeps the partial block here and sends only whole blocks', async () => {
    const { client, counter } = hashServer().connect();
    const h = new HsmHash(client, 'sha256');
    await h.update(pattern(63));
    expect(counter.requests).toBe(0);
    await h.update(pattern(6));
    expect(counter.requests).toBe(1);
    expect(h.snapshot.state.loLen).toBe(64);
    expect(h.snapshot.buffered.length).toBe(5);
  });
});

describe('HASH length counters as wolfCrypt keeps them', () => {
  /** FIPS 180-4 padding built here, independently of the server: 0x80, zeros, the bit length big-endian in `lenBytes`. */
  const padded = (tail: Uint8Array, block: number, lenBytes: number, bits: bigint): Uint8Array => {
    const n = tail.length + 1 + lenBytes > block ? 2 * block : block;
    const out = new Uint8Array(n);
    out.set(tail);
    out[tail.length] = 0x80;
    for (let i = 0; i < lenBytes; i++) out[n - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
    return out;
  };
  /** The digest is the state words read big-endian: SHA-256 words are u32, SHA-512 u64, both little-endian in `state`. */
  const digestOfState = (state: Uint8Array, word: number): string => {
    const out: number[] = [];
    for (let i = 0; i < state.length; i += word) out.push(...state.slice(i, i + word).reverse());
    return hex(Uint8Array.from(out));
  };

  it('SHA-256: loLen carries into hiLen; a final with hiLen ≠ 0 pads with the 64-bit bit count', async () => {
    const { client } = hashServer().connect();
    const from = { state: initial('sha256').state, loLen: 0xffffffc0, hiLen: 0 };
    const next = await step(client, 'sha256', from, pattern(64), false);
    expect([next.state.loLen, next.state.hiLen]).toEqual([0, 1]);
    const tail = pattern(13, 9);
    const fin = await step(client, 'sha256', next.state, tail, true);
    expect([fin.state.loLen, fin.state.hiLen]).toEqual([0, 0]);
    const bits = ((1n << 32n) + 13n) * 8n;
    const viaBlocks = await step(client, 'sha256', next.state, padded(tail, 64, 8, bits), false);
    expect(hex(fin.digest)).toBe(digestOfState(viaBlocks.state.state, 4));
  });

  it('SHA-512: the 64-bit low counter does not carry; the wire keeps its low 32 bits; a final pads 128 bits', async () => {
    const { client } = hashServer().connect();
    const from = { state: initial('sha512').state, loLen: 0xffffff80, hiLen: 3 };
    const next = await step(client, 'sha512', from, pattern(128), false);
    expect([next.state.loLen, next.state.hiLen]).toEqual([0, 3]);
    const tail = pattern(120, 2); // 120 + 1 + 16 > 128: the padding takes two blocks
    const fin = await step(client, 'sha512', from, tail, true);
    const bits = ((3n << 64n) + 0xffffff80n + 120n) * 8n;
    const viaBlocks = await step(client, 'sha512', from, padded(tail, 128, 16, bits), false);
    expect(hex(fin.digest)).toBe(digestOfState(viaBlocks.state.state, 8));
  });
});

describe('HASH byte order (spec-crypto 2.7)', () => {
  const HASH = kind(Group.CRYPTO, WcAlgo.HASH);
  const ask = async (raw: { request(p: Uint8Array): Promise<Uint8Array> }, payload: Uint8Array, le: boolean) =>
    decodePacket(await raw.request(encodePacket({ magic: 0xa501, kind: HASH, seq: 1, aux: 0, littleEndian: le }, payload)))!;

  it('SHA-2: a big-endian client gets big-endian lengths and hashType but the same raw hash bytes', async () => {
    const { raw } = hashServer().connect();
    const req = (le: boolean) =>
      Sha256Request.encode({ algoType: 6, algoSubType: 0, affinity: 0, hiLen: 0, loLen: 64, hash: HASH_ALGORITHMS.sha256.initialState, isLastBlock: 0, inSz: 64, data: pattern(64) }, le);
    const l = Sha2Response.decode((await ask(raw, req(true), true)).payload, true)!;
    const bp = await ask(raw, req(false), false);
    expect(bp.header.littleEndian).toBe(false);
    const b = Sha2Response.decode(bp.payload, false)!;
    expect([b.algoType, b.rc, b.loLen, b.hiLen, b.hashType]).toEqual([6, 0, 128, 0, 6]);
    expect(hex(b.hash)).toBe(hex(l.hash));
    expect(hex(bp.payload.subarray(12, 20))).toBe('0000000000000080');
  });

  it('SHA-3: lanes are translated as 25 u64 both ways', async () => {
    const { raw } = hashServer().connect();
    const lanesLe = pattern(200, 4);
    const lanesBe = lanesLe.slice();
    for (let i = 0; i < 200; i += 8) lanesBe.subarray(i, i + 8).reverse();
    const msg = pattern(136, 8);
    const l = Sha3Response.decode((await ask(raw, Sha3Request.encode({ algoType: 11, algoSubType: 0, affinity: 0, isLastBlock: 0, inSz: 136, s: lanesLe, data: msg }, true), true)).payload, true)!;
    const b = Sha3Response.decode((await ask(raw, Sha3Request.encode({ algoType: 11, algoSubType: 0, affinity: 0, isLastBlock: 0, inSz: 136, s: lanesBe, data: msg }, false), false)).payload, false)!;
    const back = b.s.slice();
    for (let i = 0; i < 200; i += 8) back.subarray(i, i + 8).reverse();
    expect(hex(back)).toBe(hex(l.s));
    expect(hex(l.s)).not.toBe(hex(lanesLe));
  });
});

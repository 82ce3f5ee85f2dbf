import { describe, expect, it } from 'vitest';
import { HASH_ALGORITHMS } from '../../src/crypto/hash/hash-variants.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { Sha256Request, Sha3Request, Sha512Request } from '../../src/protocol/messages/crypto-hash.js';
import { hashServer, hex, nodeDigest, pattern } from './hash-fixture.js';

const HASH = kind(Group.CRYPTO, WcAlgo.HASH);
const head = (algoType: number) => ({ algoType, algoSubType: 0, affinity: 0 });
const abc = new TextEncoder().encode('abc');
const u32 = (n: number) => hex(Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24));
const failure = (algoType: number, rc: number) => u32(algoType) + u32(rc) + '00000000';

/** A request with the header's inSz and the bytes actually present set separately. */
const sha256 = (algoType: number, isLastBlock: number, inSz: number, data: Uint8Array) =>
  Sha256Request.encode({ ...head(algoType), hiLen: 0, loLen: 0, hash: HASH_ALGORITHMS.sha256.initialState, isLastBlock, inSz, data }, true);
const sha512 = (algoType: number, hashType: number, isLastBlock: number, inSz: number, data: Uint8Array, iv = HASH_ALGORITHMS.sha512.initialState) =>
  Sha512Request.encode({ ...head(algoType), hiLen: 0, loLen: 0, hash: iv, hashType, isLastBlock, inSz, data }, true);
const sha3 = (algoType: number, isLastBlock: number, inSz: number, data: Uint8Array) =>
  Sha3Request.encode({ ...head(algoType), isLastBlock, inSz, s: new Uint8Array(200), data }, true);

describe('HASH size rules and edge rows (spec-crypto 5.1, 5.3, 6)', () => {
  const send = async (payload: Uint8Array) => {
    const { client } = hashServer().connect();
    return hex((await client.request(HASH, payload)).bytes);
  };

  it('a payload shorter than the algorithm struct answers BADARGS (12 bytes, algoType echoed)', async () => {
    for (const [algoType, size] of [[5, 60], [6, 60], [7, 96], [8, 96], [10, 220], [11, 220], [12, 220], [13, 220]] as const) {
      for (const len of [12, size - 1]) {
        const p = new Uint8Array(len);
        p[0] = algoType;
        expect({ algoType, len, answer: await send(p) }).toEqual({ algoType, len, answer: failure(algoType, -2000) });
      }
    }
  });

  it('inSz larger than the bytes present answers BADARGS', async () => {
    expect(await send(sha256(6, 0, 64, pattern(63)))).toBe(failure(6, -2000));
    expect(await send(sha256(6, 1, 3, abc.subarray(0, 2)))).toBe(failure(6, -2000));
    expect(await send(sha512(8, 8, 1, 1, new Uint8Array(0)))).toBe(failure(8, -2000));
    expect(await send(sha3(11, 0, 136, pattern(135)))).toBe(failure(11, -2000));
    expect(await send(sha3(13, 1, 0xffffffff, abc))).toBe(failure(13, -2000));
  });

  it('a non-final inSz that is not whole blocks answers BADARGS', async () => {
    expect(await send(sha256(6, 0, 3, abc))).toBe(failure(6, -2000)); // [observed]
    expect(await send(sha256(5, 0, 65, pattern(65)))).toBe(failure(5, -2000));
    expect(await send(sha512(7, 7, 0, 64, pattern(64)))).toBe(failure(7, -2000)); // a SHA-256 block is half a SHA-512 block
    expect(await send(sha3(11, 0, 144, pattern(144)))).toBe(failure(11, -2000)); // SHA3-224's rate, not SHA3-256's
    expect(await send(sha3(13, 0, 100, pattern(100)))).toBe(failure(13, -2000));
  });

  it('a final inSz of a block or more answers BADARGS; one byte less is served', async () => {
    for (const [payload, algoType] of [[sha256(6, 1, 64, pattern(64)), 6], [sha512(8, 8, 1, 128, pattern(128)), 8], [sha3(10, 1, 144, pattern(144)), 10], [sha3(13, 1, 72, pattern(72)), 13], [sha3(12, 1, 200, pattern(200)), 12]] as const) {
      expect(await send(payload)).toBe(failure(algoType, -2000));
    }
    expect((await send(sha256(6, 1, 63, pattern(63)))).slice(8, 16)).toBe('00000000');
    expect((await send(sha512(8, 8, 1, 127, pattern(127)))).slice(8, 16)).toBe('00000000');
    expect((await send(sha3(10, 1, 143, pattern(143)))).slice(8, 16)).toBe('00000000');
  });

  it('an algoType the HASH class does not serve answers NOT_COMPILED_IN', async () => {
    for (const algoType of [0, 1, 2, 3, 4, 9, 14, 15, 16, 17, 99]) expect(await send(sha512(algoType, 0, 1, 0, new Uint8Array(0)))).toBe(failure(algoType, -174));
  });

  it('SHA-256 final: 88 bytes, lengths 0, the digest then zeros, hashType; bytes after inSz are ignored', async () => {
    const withTrailing = new Uint8Array([...abc, 0xde, 0xad]);
    expect(await send(sha256(6, 1, 3, withTrailing))).toBe('06000000' + '00000000' + '00000000' + '00000000' + '00000000' + nodeDigest('sha256', abc) + '00'.repeat(32) + '06000000');
    const { client } = hashServer().connect();
    const p = Sha256Request.encode({ ...head(5), hiLen: 0, loLen: 0, hash: HASH_ALGORITHMS.sha224.initialState, isLastBlock: 1, inSz: 3, data: abc }, true);
    expect(hex((await client.request(HASH, p)).bytes)).toBe('05000000' + '00'.repeat(16) + '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7' + '00'.repeat(36) + '05000000');
  });

  it('a non-final with inSz 0 returns the state unchanged', async () => {
    const r = await send(sha256(6, 0, 0, new Uint8Array(0)));
    expect(r).toBe('06000000' + '00'.repeat(16) + hex(HASH_ALGORITHMS.sha256.initialState) + '00'.repeat(32) + '06000000');
  });

  it('SHA-512 (8) picks its output by the state\'s hashType and echoes it; SHA-384 (7) always answers 7', async () => {
    const cases = [
      [sha512(8, 16, 1, 3, abc, HASH_ALGORITHMS['sha512-224'].initialState), 16, nodeDigest('sha512-224', abc)],
      [sha512(8, 17, 1, 3, abc, HASH_ALGORITHMS['sha512-256'].initialState), 17, nodeDigest('sha512-256', abc)],
      [sha512(8, 99, 1, 3, abc), 8, nodeDigest('sha512', abc)],
      [sha512(8, 7, 1, 3, abc), 8, nodeDigest('sha512', abc)],
      [sha512(7, 16, 1, 3, abc, HASH_ALGORITHMS.sha384.initialState), 7, nodeDigest('sha384', abc)],
    ] as const;
    for (const [payload, hashType, digest] of cases) {
      const algoType = payload[0]!;
      expect(await send(payload)).toBe(u32(algoType) + '00'.repeat(16) + digest + '00'.repeat(64 - digest.length / 2) + u32(hashType));
    }
    // Non-final answers echo it too, with the 64-byte state.
    expect((await send(sha512(8, 17, 0, 128, pattern(128), HASH_ALGORITHMS['sha512-256'].initialState))).slice(-8)).toBe(u32(17));
  });

  it('SHA-3: 276 bytes; the digest area is zero before the final, the lanes are zero after it', async () => {
    const mid = await send(sha3(11, 0, 136, pattern(136)));
    expect(mid.length).toBe(276 * 2);
    expect(mid.slice(0, 24)).toBe('0b0000000000000000000000');
    expect(mid.slice(212 * 2)).toBe('00'.repeat(64));
    const fin = await send(sha3(11, 1, 3, abc));
    expect(fin).toBe('0b000000' + '00'.repeat(8) + '00'.repeat(200) + '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532' + '00'.repeat(32));
  });
});

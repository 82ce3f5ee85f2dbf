import { describe, expect, it } from 'vitest';
import { aesCbc, aesCtr, aesCtrStart, aesEcb, aesGcmDecrypt, aesGcmEncrypt } from '../../src/client/crypto/aes.js';
import { aesCmacClient, hex, unhex } from './helpers/aes-cmac.js';

/** NIST SP 800-38A appendix F: the same four plaintext blocks under AES-128/192/256. */
const PLAIN = unhex('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710');
const KEYS = {
  128: unhex('2b7e151628aed2a6abf7158809cf4f3c'),
  192: unhex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b'),
  256: unhex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'),
} as const;
const SP800_38A = {
  ecb: {
    128: '3ad77bb40d7a3660a89ecaf32466ef97 f5d3d58503b9699de785895a96fdbaaf 43b1cd7f598ece23881b00e3ed030688 7b0c785e27e8ad3f8223207104725dd4',
    192: 'bd334f1d6e45f25ff712a214571fa5cc 974104846d0ad3ad7734ecb3ecee4eef ef7afd2270e2e60adce0ba2face6444e 9a4b41ba738d6c72fb16691603c18e0e',
    256: 'f3eed1bdb5d2a03c064b5a7e3db181f8 591ccb10d410ed26dc5ba74a31362870 b6ed21b99ca6f4f9f153e7b1beafed1d 23304b7a39f9f3ff067d8d8f9e24ecc7',
  },
  cbc: {
    128: '7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7',
    192: '4f021db243bc633d7178183a9fa071e8 b4d9ada9ad7dedf4e5e738763f69145a 571b242012fb7ae07fa9baac3df102e0 08b0e27988598881d920a9e64f5615cd',
    256: 'f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d 39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b',
  },
  ctr: {
    128: '874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff 5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee',
    192: '1abc932417521ca24f2b0459fe7e6e0b 090339ec0aa6faefd5ccc2c6f4ce8e94 1e36b26bd1ebc670d1bd1d665620abf7 4f78a7f6d29809585a97daec58c6b050',
    256: '601ec313775789a5b7a7f504bbf3d228 f443e3ca4d62b59aca84e990cacaf5c5 2b0930daa23de94ce87017ba2d84988d dfc9c58db67aada613c2dd08457941a6',
  },
} as const;
const CBC_IV = unhex('000102030405060708090a0b0c0d0e0f');
const CTR_IV = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
const SIZES = [128, 192, 256] as const;

describe('AES-ECB/CBC/CTR known answers (NIST SP 800-38A F.1, F.2, F.5; FIPS-197 C.1)', () => {
  it('FIPS-197 appendix C.1 through ECB, both ways', async () => {
    const { client } = aesCmacClient();
    const key = unhex('000102030405060708090a0b0c0d0e0f');
    const enc = await aesEcb(client, { key, encrypt: true, data: unhex('00112233445566778899aabbccddeeff') });
    expect('data' in enc && hex(enc.data)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    const dec = await aesEcb(client, { key, encrypt: false, data: unhex('69c4e0d86a7b0430d8cdb78070b4c55a') });
    expect('data' in dec && hex(dec.data)).toBe('00112233445566778899aabbccddeeff');
  });

  it.each(SIZES)('ECB-AES%i encrypts and decrypts the four blocks', async (bits) => {
    const { client } = aesCmacClient();
    const key = KEYS[bits];
    const enc = await aesEcb(client, { key, encrypt: true, data: PLAIN });
    expect('data' in enc && hex(enc.data)).toBe(hex(unhex(SP800_38A.ecb[bits])));
    const dec = await aesEcb(client, { key, encrypt: false, data: unhex(SP800_38A.ecb[bits]) });
    expect('data' in dec && hex(dec.data)).toBe(hex(PLAIN));
  });

  it.each(SIZES)('CBC-AES%i in one call and chained block by block through the returned IV', async (bits) => {
    const { client } = aesCmacClient();
    const key = KEYS[bits];
    const expected = unhex(SP800_38A.cbc[bits]);
    const enc = await aesCbc(client, { key, encrypt: true, iv: CBC_IV, data: PLAIN });
    if (!('data' in enc)) throw new Error(`rc ${enc.rc}`);
    expect(hex(enc.data)).toBe(hex(expected));
    expect(hex(enc.iv)).toBe(hex(expected.subarray(48))); // the last ciphertext block
    let iv: Uint8Array = CBC_IV;
    for (let b = 0; b < 4; b++) {
      const r = await aesCbc(client, { key, encrypt: false, iv, data: expected.subarray(b * 16, b * 16 + 16) });
      if (!('data' in r)) throw new Error(`rc ${r.rc}`);
      expect(hex(r.data)).toBe(hex(PLAIN.subarray(b * 16, b * 16 + 16)));
      expect(hex(r.iv)).toBe(hex(expected.subarray(b * 16, b * 16 + 16)));
      iv = r.iv;
    }
  });

  it.each(SIZES)('CTR-AES%i: the counter ends at +4 (carrying through ...feff), no leftover keystream', async (bits) => {
    const { client } = aesCmacClient();
    const r = await aesCtr(client, { key: KEYS[bits], state: aesCtrStart(CTR_IV), data: PLAIN });
    if (!('data' in r)) throw new Error(`rc ${r.rc}`);
    expect(hex(r.data)).toBe(hex(unhex(SP800_38A.ctr[bits])));
    expect(hex(r.state.reg)).toBe('f0f1f2f3f4f5f6f7f8f9fafbfcfdff03');
    expect(hex(r.state.tmp)).toBe('00'.repeat(16)); // whole blocks never touch tmp
    expect(r.state.left).toBe(0);
    const back = await aesCtr(client, { key: KEYS[bits], state: aesCtrStart(CTR_IV), data: unhex(SP800_38A.ctr[bits]) });
    expect('data' in back && hex(back.data)).toBe(hex(PLAIN));
  });

  it('CTR split at every offset and at odd boundaries across requests gives the one-call stream', async () => {
    const { client } = aesCmacClient();
    const key = KEYS[128];
    const expected = hex(unhex(SP800_38A.ctr[128]));
    const splits: number[][] = [];
    for (let i = 0; i <= 64; i++) splits.push([i]);
    splits.push([1, 2, 3, 5, 7, 11, 13, 17], [15, 1, 15, 1, 15, 1], [31, 2, 30], [0, 0, 33]);
    for (const cuts of splits) {
      let state = aesCtrStart(CTR_IV);
      let out = '';
      let off = 0;
      for (const n of [...cuts, 64]) {
        const end = Math.min(64, n === 64 ? 64 : off + n);
        const r = await aesCtr(client, { key, state, data: PLAIN.subarray(off, end) });
        if (!('data' in r)) throw new Error(`rc ${r.rc}`);
        out += hex(r.data);
        // wolfCrypt's left: the unused bytes of the last keystream block.
        expect(r.state.left).toBe((16 - (end % 16)) % 16);
        state = r.state;
        off = end;
        if (off === 64) break;
      }
      expect({ cuts, out }).toEqual({ cuts, out: expected });
    }
  });
});

/** The GCM specification's test cases (McGrew and Viega), 128-bit and 256-bit keys. */
const K3 = unhex('feffe9928665731c6d6a8f9467308308');
const P3 = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255');
const A4 = unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
const IV3 = unhex('cafebabefacedbaddecaf888');
const GCM_CASES = [
  { name: '1 (empty)', key: new Uint8Array(16), iv: new Uint8Array(12), aad: new Uint8Array(0), p: new Uint8Array(0), c: '', t: '58e2fccefa7e3061367f1d57a4e7455a' },
  { name: '2', key: new Uint8Array(16), iv: new Uint8Array(12), aad: new Uint8Array(0), p: new Uint8Array(16), c: '0388dace60b6a392f328c2b971b2fe78', t: 'ab6e47d42cec13bdf53a67b21257bddf' },
  {
    name: '3',
    key: K3,
    iv: IV3,
    aad: new Uint8Array(0),
    p: P3,
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
    t: '4d5c2af327cd64a62cf35abd2ba6fab4',
  },
  {
    name: '4 (AAD, 60 bytes)',
    key: K3,
    iv: IV3,
    aad: A4,
    p: P3.subarray(0, 60),
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    t: '5bc94fbc3221a5db94fae95ae7121a47',
  },
  {
    name: '5 (8-byte IV)',
    key: K3,
    iv: unhex('cafebabefacedbad'),
    aad: A4,
    p: P3.subarray(0, 60),
    c: '61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598',
    t: '3612d2e79e3b0785561be14aaca2fccb',
  },
  {
    name: '6 (60-byte IV)',
    key: K3,
    iv: unhex('9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b'),
    aad: A4,
    p: P3.subarray(0, 60),
    c: '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5',
    t: '619cc5aefffe0bfa462af43c1699d050',
  },
  {
    name: '16 (256-bit key, AAD)',
    key: unhex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
    iv: IV3,
    aad: A4,
    p: P3.subarray(0, 60),
    c: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    t: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-GCM known answers (GCM specification test cases)', () => {
  it.each(GCM_CASES)('test case $name: encrypt, then decrypt with the full tag', async ({ key, iv, aad, p, c, t }) => {
    const { client } = aesCmacClient();
    const enc = await aesGcmEncrypt(client, { key, iv, aad, data: p });
    if (!('data' in enc)) throw new Error(`rc ${enc.rc}`);
    expect(hex(enc.data)).toBe(c);
    expect(hex(enc.tag)).toBe(t);
    const dec = await aesGcmDecrypt(client, { key, iv, aad, data: unhex(c), tag: unhex(t) });
    expect('data' in dec && hex(dec.data)).toBe(hex(p));
  });

  it('short tags: encryption answers a 12..15-byte prefix; decryption accepts any 1..16-byte prefix and refuses a wrong one (-180)', async () => {
    const { client } = aesCmacClient();
    const { key, iv, aad, p, c, t } = GCM_CASES[3]!;
    for (const tagSize of [12, 13, 14, 15, 16]) {
      const enc = await aesGcmEncrypt(client, { key, iv, aad, data: p, tagSize });
      expect('tag' in enc && hex(enc.tag)).toBe(t.slice(0, tagSize * 2));
    }
    for (let n = 1; n <= 16; n++) {
      const tag = unhex(t).subarray(0, n);
      const ok = await aesGcmDecrypt(client, { key, iv, aad, data: unhex(c), tag });
      expect('data' in ok && hex(ok.data)).toBe(hex(p));
      const bad = tag.slice();
      bad[n - 1]! ^= 0x01;
      expect(await aesGcmDecrypt(client, { key, iv, aad, data: unhex(c), tag: bad })).toEqual({ rc: -180 });
    }
  });
});

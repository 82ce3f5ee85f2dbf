/**
 * The SHA-512 compression function (FIPS 180-4 6.4.2), shared by SHA-384, SHA-512,
 * SHA-512/224 and SHA-512/256. 64-bit words are kept as (hi, lo) pairs of u32 so the
 * arithmetic stays in plain numbers: the state is 16 u32, word i at [2i] (hi), [2i+1] (lo).
 */

const K_HEX = [
  '428a2f98d728ae22', '7137449123ef65cd', 'b5c0fbcfec4d3b2f', 'e9b5dba58189dbbc', '3956c25bf348b538', '59f111f1b605d019',
  '923f82a4af194f9b', 'ab1c5ed5da6d8118', 'd807aa98a3030242', '12835b0145706fbe', '243185be4ee4b28c', '550c7dc3d5ffb4e2',
  '72be5d74f27b896f', '80deb1fe3b1696b1', '9bdc06a725c71235', 'c19bf174cf692694', 'e49b69c19ef14ad2', 'efbe4786384f25e3',
  '0fc19dc68b8cd5b5', '240ca1cc77ac9c65', '2de92c6f592b0275', '4a7484aa6ea6e483', '5cb0a9dcbd41fbd4', '76f988da831153b5',
  '983e5152ee66dfab', 'a831c66d2db43210', 'b00327c898fb213f', 'bf597fc7beef0ee4', 'c6e00bf33da88fc2', 'd5a79147930aa725',
  '06ca6351e003826f', '142929670a0e6e70', '27b70a8546d22ffc', '2e1b21385c26c926', '4d2c6dfc5ac42aed', '53380d139d95b3df',
  '650a73548baf63de', '766a0abb3c77b2a8', '81c2c92e47edaee6', '92722c851482353b', 'a2bfe8a14cf10364', 'a81a664bbc423001',
  'c24b8b70d0f89791', 'c76c51a30654be30', 'd192e819d6ef5218', 'd69906245565a910', 'f40e35855771202a', '106aa07032bbd1b8',
  '19a4c116b8d2d0c8', '1e376c085141ab53', '2748774cdf8eeb99', '34b0bcb5e19b48a8', '391c0cb3c5c95a63', '4ed8aa4ae3418acb',
  '5b9cca4f7763e373', '682e6ff3d6b2b8a3', '748f82ee5defb2fc', '78a5636f43172f60', '84c87814a1f0ab72', '8cc702081a6439ec',
  '90befffa23631e28', 'a4506cebde82bde9', 'bef9a3f7b2c67915', 'c67178f2e372532b', 'ca273eceea26619c', 'd186b8c721c0c207',
  'eada7dd6cde0eb1e', 'f57d4f7fee6ed178', '06f067aa72176fba', '0a637dc5a2c898a6', '113f9804bef90dae', '1b710b35131c471b',
  '28db77f523047d84', '32caab7b40c72493', '3c9ebe0a15c9bebc', '431d67c49c100d4c', '4cc5d4becb3e42b6', '597f299cfc657e2a',
  '5fcb6fab3ad6faec', '6c44198c4a475817',
];
const KH = Uint32Array.from(K_HEX, (k) => parseInt(k.slice(0, 8), 16));
const KL = Uint32Array.from(K_HEX, (k) => parseInt(k.slice(8), 16));

export const SHA512_BLOCK = 128;

// Rotations and shifts of the 64-bit word (hi, lo), each half computed separately.
const rotrHi = (hi: number, lo: number, n: number): number => (n < 32 ? (hi >>> n) | (lo << (32 - n)) : (lo >>> (n - 32)) | (hi << (64 - n)));
const rotrLo = (hi: number, lo: number, n: number): number => (n < 32 ? (lo >>> n) | (hi << (32 - n)) : (hi >>> (n - 32)) | (lo << (64 - n)));
const shrHi = (hi: number, n: number): number => hi >>> n;
const shrLo = (hi: number, lo: number, n: number): number => (lo >>> n) | (hi << (32 - n));

const TWO32 = 0x1_0000_0000;

/** The message schedule halves, reused: a block is absorbed synchronously, so one pair serves every call on a thread. */
const wh = new Uint32Array(80);
const wl = new Uint32Array(80);

/** A big-endian u32 of `data` at `i`. */
const be32 = (data: Uint8Array, i: number): number => ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0;

/** Absorbs the 128-byte block at `offset` of `data` into the state `h` (16 u32, see above). */
export function sha512Block(h: Uint32Array, data: Uint8Array, offset: number): void {
  for (let t = 0, i = offset; t < 16; t++, i += 8) {
    wh[t] = be32(data, i);
    wl[t] = be32(data, i + 4);
  }
  for (let t = 16; t < 80; t++) {
    const xh = wh[t - 15]!, xl = wl[t - 15]!;
    const yh = wh[t - 2]!, yl = wl[t - 2]!;
    const s0h = rotrHi(xh, xl, 1) ^ rotrHi(xh, xl, 8) ^ shrHi(xh, 7);
    const s0l = rotrLo(xh, xl, 1) ^ rotrLo(xh, xl, 8) ^ shrLo(xh, xl, 7);
    const s1h = rotrHi(yh, yl, 19) ^ rotrHi(yh, yl, 61) ^ shrHi(yh, 6);
    const s1l = rotrLo(yh, yl, 19) ^ rotrLo(yh, yl, 61) ^ shrLo(yh, yl, 6);
    const lo = wl[t - 16]! + (s0l >>> 0) + wl[t - 7]! + (s1l >>> 0);
    wl[t] = lo;
    wh[t] = wh[t - 16]! + s0h + wh[t - 7]! + s1h + Math.floor(lo / TWO32);
  }
  let ah = h[0]!, al = h[1]!, bh = h[2]!, bl = h[3]!, ch = h[4]!, cl = h[5]!, dh = h[6]!, dl = h[7]!;
  let eh = h[8]!, el = h[9]!, fh = h[10]!, fl = h[11]!, gh = h[12]!, gl = h[13]!, hh = h[14]!, hl = h[15]!;
  for (let t = 0; t < 80; t++) {
    const S1h = rotrHi(eh, el, 14) ^ rotrHi(eh, el, 18) ^ rotrHi(eh, el, 41);
    const S1l = rotrLo(eh, el, 14) ^ rotrLo(eh, el, 18) ^ rotrLo(eh, el, 41);
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1l = hl + (S1l >>> 0) + (chl >>> 0) + KL[t]! + wl[t]!;
    const t1h = (hh + S1h + chh + KH[t]! + wh[t]! + Math.floor(t1l / TWO32)) >>> 0;
    const S0h = rotrHi(ah, al, 28) ^ rotrHi(ah, al, 34) ^ rotrHi(ah, al, 39);
    const S0l = rotrLo(ah, al, 28) ^ rotrLo(ah, al, 34) ^ rotrLo(ah, al, 39);
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2l = (S0l >>> 0) + (majl >>> 0);
    const t2h = (S0h + majh + Math.floor(t2l / TWO32)) >>> 0;
    hh = gh; hl = gl;
    gh = fh; gl = fl;
    fh = eh; fl = el;
    const el2 = dl + (t1l >>> 0);
    eh = (dh + t1h + Math.floor(el2 / TWO32)) >>> 0;
    el = el2 >>> 0;
    dh = ch; dl = cl;
    ch = bh; cl = bl;
    bh = ah; bl = al;
    const al2 = (t1l >>> 0) + (t2l >>> 0);
    ah = (t1h + t2h + Math.floor(al2 / TWO32)) >>> 0;
    al = al2 >>> 0;
  }
  const add = (i: number, xh: number, xl: number): void => {
    const lo = h[2 * i + 1]! + xl;
    h[2 * i + 1] = lo;
    h[2 * i] = h[2 * i]! + xh + Math.floor(lo / TWO32);
  };
  add(0, ah, al); add(1, bh, bl); add(2, ch, cl); add(3, dh, dl);
  add(4, eh, el); add(5, fh, fl); add(6, gh, gl); add(7, hh, hl);
}

/**
 * Keccak-f[1600] (FIPS 202 3.3, 24 rounds). Lanes are (lo, hi) pairs of u32: lane
 * i = x + 5y at [2i] (low half) and [2i+1] (high half), so that the 200 state bytes
 * in little-endian lane order map onto it one to one.
 */

const RC_HEX = [
  '0000000000000001', '0000000000008082', '800000000000808a', '8000000080008000', '000000000000808b', '0000000080000001',
  '8000000080008081', '8000000000008009', '000000000000008a', '0000000000000088', '0000000080008009', '000000008000000a',
  '000000008000808b', '800000000000008b', '8000000000008089', '8000000000008003', '8000000000008002', '8000000000000080',
  '000000000000800a', '800000008000000a', '8000000080008081', '8000000000008080', '0000000080000001', '8000000080008008',
];
const RC_HI = Uint32Array.from(RC_HEX, (k) => parseInt(k.slice(0, 8), 16));
const RC_LO = Uint32Array.from(RC_HEX, (k) => parseInt(k.slice(8), 16));

/** Rotation offsets r[x, y] of the rho step, by lane index x + 5y. */
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
/** Where pi sends lane x + 5y: to y + 5((2x + 3y) mod 5). */
const PI = Array.from({ length: 25 }, (_, i) => {
  const x = i % 5;
  const y = Math.floor(i / 5);
  return y + 5 * ((2 * x + 3 * y) % 5);
});

const rotlLo = (lo: number, hi: number, n: number): number =>
  n === 0 ? lo : n < 32 ? (lo << n) | (hi >>> (32 - n)) : n === 32 ? hi : (hi << (n - 32)) | (lo >>> (64 - n));
const rotlHi = (lo: number, hi: number, n: number): number =>
  n === 0 ? hi : n < 32 ? (hi << n) | (lo >>> (32 - n)) : n === 32 ? lo : (lo << (n - 32)) | (hi >>> (64 - n));

// Scratch, reused: a permutation runs synchronously, so one set serves every call on a thread.
const cLo = new Int32Array(5);
const cHi = new Int32Array(5);
const b = new Int32Array(50);

/** Permutes the 50-word state in place. */
export function keccakF1600(s: Uint32Array): void {
  for (let round = 0; round < 24; round++) {
    // theta
    for (let x = 0; x < 5; x++) {
      cLo[x] = s[2 * x]! ^ s[2 * (x + 5)]! ^ s[2 * (x + 10)]! ^ s[2 * (x + 15)]! ^ s[2 * (x + 20)]!;
      cHi[x] = s[2 * x + 1]! ^ s[2 * (x + 5) + 1]! ^ s[2 * (x + 10) + 1]! ^ s[2 * (x + 15) + 1]! ^ s[2 * (x + 20) + 1]!;
    }
    for (let x = 0; x < 5; x++) {
      const l = cLo[(x + 1) % 5]!;
      const h = cHi[(x + 1) % 5]!;
      const dLo = cLo[(x + 4) % 5]! ^ rotlLo(l, h, 1);
      const dHi = cHi[(x + 4) % 5]! ^ rotlHi(l, h, 1);
      for (let y = 0; y < 25; y += 5) {
        s[2 * (x + y)] = s[2 * (x + y)]! ^ dLo;
        s[2 * (x + y) + 1] = s[2 * (x + y) + 1]! ^ dHi;
      }
    }
    // rho and pi
    for (let i = 0; i < 25; i++) {
      const l = s[2 * i]!;
      const h = s[2 * i + 1]!;
      b[2 * PI[i]!] = rotlLo(l, h, RHO[i]!);
      b[2 * PI[i]! + 1] = rotlHi(l, h, RHO[i]!);
    }
    // chi
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i1 = y + ((x + 1) % 5);
        const i2 = y + ((x + 2) % 5);
        s[2 * (y + x)] = b[2 * (y + x)]! ^ (~b[2 * i1]! & b[2 * i2]!);
        s[2 * (y + x) + 1] = b[2 * (y + x) + 1]! ^ (~b[2 * i1 + 1]! & b[2 * i2 + 1]!);
      }
    }
    // iota
    s[0] = s[0]! ^ RC_LO[round]!;
    s[1] = s[1]! ^ RC_HI[round]!;
  }
}

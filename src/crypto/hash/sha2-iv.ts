/**
 * SHA-2 initial hash values (FIPS 180-4 5.3), as a wolfHSM client sends them in its
 * first request: the words in memory order of a little-endian machine (wolfCrypt's
 * `digest[]`), which is also what the server returns as the mid-state.
 */

const words32 = (hex: string[]): Uint8Array => {
  const out = new Uint8Array(hex.length * 4);
  const view = new DataView(out.buffer);
  hex.forEach((w, i) => view.setUint32(i * 4, parseInt(w, 16), true));
  return out;
};
const words64 = (hex: string[]): Uint8Array => {
  const out = new Uint8Array(hex.length * 8);
  const view = new DataView(out.buffer);
  hex.forEach((w, i) => view.setBigUint64(i * 8, BigInt(`0x${w}`), true));
  return out;
};

export const SHA224_IV = words32(['c1059ed8', '367cd507', '3070dd17', 'f70e5939', 'ffc00b31', '68581511', '64f98fa7', 'befa4fa4']);
export const SHA256_IV = words32(['6a09e667', 'bb67ae85', '3c6ef372', 'a54ff53a', '510e527f', '9b05688c', '1f83d9ab', '5be0cd19']);
export const SHA384_IV = words64([
  'cbbb9d5dc1059ed8', '629a292a367cd507', '9159015a3070dd17', '152fecd8f70e5939',
  '67332667ffc00b31', '8eb44a8768581511', 'db0c2e0d64f98fa7', '47b5481dbefa4fa4',
]);
export const SHA512_IV = words64([
  '6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1',
  '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179',
]);
export const SHA512_224_IV = words64([
  '8c3d37c819544da2', '73e1996689dcd4d6', '1dfab7ae32ff9c82', '679dd514582f9fcf',
  '0f6d2b697bd44da8', '77e36f7304c48942', '3f9d85a86a1d36c8', '1112e6ad91d692a1',
]);
export const SHA512_256_IV = words64([
  '22312194fc2bf72c', '9f555fa3c84c64c2', '2393b86b6f53b151', '963877195940eabd',
  '96283ee2a88effe3', 'be5e1e2553863992', '2b0199fc2c85b8aa', '0eb72ddc81c52ca2',
]);

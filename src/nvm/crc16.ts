/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, MSB first, no final XOR), as wolfHSM's NVM CRC option uses. */
export const CRC16_INIT = 0xffff;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** Continues `crc` over `data`; chunks may be fed one after another. */
export function crc16(data: Uint8Array, crc: number = CRC16_INIT): number {
  let c = crc & 0xffff;
  for (let i = 0; i < data.length; i++) c = ((c << 8) & 0xffff) ^ TABLE[((c >>> 8) ^ data[i]!) & 0xff]!;
  return c;
}

/** FNV-1a over a string: the default state hash for small models. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Integer mix (for number states). */
export function hashNumber(n: number): number {
  let h = Math.imul(n | 0, 0x85ebca6b) ^ ((n / 0x100000000) | 0);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) | 0;
}


/**
 * The set of (linearized ops, model state) configurations already explored.
 *
 * An open-addressing hash table over typed arrays: slot → entry index, entries'
 * bitsets packed in one growable Uint32Array, states in a plain array. No object
 * per entry and no JS Map or Set (one of those stops growing at about 16.7
 * million entries); collisions are resolved by comparing bitset and state.
 */
export class VisitedTable<S> {
  private slots: Int32Array;
  private hashes: Int32Array;
  private bitsArena: Uint32Array;
  private readonly states: S[] = [];
  size = 0;

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    initialCapacity = 1 << 12,
  ) {
    this.slots = new Int32Array(initialCapacity).fill(-1);
    this.hashes = new Int32Array(initialCapacity);
    this.bitsArena = new Uint32Array(Math.max(1, initialCapacity >> 1) * words);
  }

  /** Adds the configuration; false when it was already there. */
  add(hash: number, bits: Uint32Array, state: S): boolean {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    for (;;) {
      const e = this.slots[i]!;
      if (e < 0) break;
      if (this.hashes[i] === hash && this.sameBits(e, bits) && this.equal(this.states[e]!, state)) return false;
      i = (i + 1) & mask;
    }
    const e = this.size++;
    if ((e + 1) * this.words > this.bitsArena.length) {
      const grown = new Uint32Array(this.bitsArena.length * 2);
      grown.set(this.bitsArena);
      this.bitsArena = grown;
    }
    this.bitsArena.set(bits, e * this.words);
    this.states.push(state);
    this.slots[i] = e;
    this.hashes[i] = hash;
    if (this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  private sameBits(e: number, bits: Uint32Array): boolean {
    const base = e * this.words;
    for (let w = 0; w < this.words; w++) if (this.bitsArena[base + w] !== bits[w]) return false;
    return true;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(oldSlots.length * 2).fill(-1);
    this.hashes = new Int32Array(oldSlots.length * 2);
    const mask = this.slots.length - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const e = oldSlots[j]!;
      if (e < 0) continue;
      let i = oldHashes[j]! & mask;
      while (this.slots[i]! >= 0) i = (i + 1) & mask;
      this.slots[i] = e;
      this.hashes[i] = oldHashes[j]!;
    }
  }
}

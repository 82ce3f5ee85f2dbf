/**
 * The set of (linearized ops, model state) configurations already explored.
 *
 * An open-addressing hash table over typed arrays: slot → entry index, entries'
 * bitsets packed in fixed-size Uint32Array chunks, states in a plain array. No object
 * per entry and no JS Map or Set; collisions are resolved by comparing bitset and
 * state. A JS array still stops near 2^27 elements (V8 aborts the process with
 * "invalid size error"), so the table holds at most MAX_ENTRIES and says `full`
 * instead: the checker then answers unknown (memory), never crashes.
 */
const CHUNK_BITS = 8;
const CHUNK = 1 << CHUNK_BITS;

/** Thrown by `add` when the table cannot grow (entry cap or a failed allocation). */
export class TableFull extends Error {}

export class VisitedTable<S> {
  private slots: Int32Array;
  private hashes: Int32Array;
  /** Bitsets in fixed chunks of CHUNK entries: growing never copies them. */
  private readonly chunks: Uint32Array[] = [];
  private readonly states: S[] = [];
  size = 0;
  /** At most this many entries (well under V8's array limit). */
  static readonly MAX_ENTRIES = 1 << 26;

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    initialCapacity = 1 << 12,
  ) {
    this.slots = new Int32Array(initialCapacity).fill(-1);
    this.hashes = new Int32Array(initialCapacity);
  }

  /** Bytes of the typed arrays plus the states array's pointers (the states themselves are the model's). */
  get bytes(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.chunks.length * CHUNK * this.words * 4 + 8 * this.states.length;
  }

  /** Adds the configuration; false when it was already there. Throws TableFull when it cannot grow. */
  add(hash: number, bits: Uint32Array, state: S): boolean {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    for (;;) {
      const e = this.slots[i]!;
      if (e < 0) break;
      if (this.hashes[i] === hash && this.sameBits(e, bits) && this.equal(this.states[e]!, state)) return false;
      i = (i + 1) & mask;
    }
    if (this.size >= VisitedTable.MAX_ENTRIES) throw new TableFull('visited table at its entry cap');
    const e = this.size;
    if ((e & (CHUNK - 1)) === 0) this.chunks.push(allocate(CHUNK * this.words));
    this.chunks[e >>> CHUNK_BITS]!.set(bits, (e & (CHUNK - 1)) * this.words);
    this.size++;
    this.states.push(state);
    this.slots[i] = e;
    this.hashes[i] = hash;
    if (this.size * 2 > this.slots.length) {
      try {
        this.grow();
      } catch (err) {
        if (err instanceof RangeError) throw new TableFull(err.message);
        throw err;
      }
    }
    return true;
  }

  private sameBits(e: number, bits: Uint32Array): boolean {
    const chunk = this.chunks[e >>> CHUNK_BITS]!;
    const base = (e & (CHUNK - 1)) * this.words;
    for (let w = 0; w < this.words; w++) if (chunk[base + w] !== bits[w]) return false;
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

function allocate(length: number): Uint32Array {
  try {
    return new Uint32Array(length);
  } catch (err) {
    if (err instanceof RangeError) throw new TableFull(err.message);
    throw err;
  }
}

/**
 * Per partition, a byte range outside which an image is known to be erased. It is
 * conservative (bytes inside may be erased too), so a blank check or an erase only
 * has to look at the part of its range inside it: a compaction's 512 KiB blank
 * check of the empty partition and erase of the old one cost what the data costs.
 */
export class DirtyExtents {
  private readonly lo: number[];
  private readonly hi: number[];

  /** Starts from `image`, scanned once for its first and last non-erased byte per partition. */
  constructor(
    image: Uint8Array,
    private readonly partSize: number,
    erasedByte: number,
  ) {
    const parts = Math.ceil(image.length / partSize);
    this.lo = new Array<number>(parts).fill(0);
    this.hi = new Array<number>(parts).fill(0);
    for (let p = 0; p < parts; p++) {
      const from = p * partSize;
      const to = Math.min(image.length, from + partSize);
      let a = from;
      while (a < to && image[a] === erasedByte) a++;
      let b = to;
      while (b > a && image[b - 1] === erasedByte) b--;
      this.lo[p] = a;
      this.hi[p] = b;
    }
  }

  /** Bytes [offset, offset + size) may now be non-erased. */
  written(offset: number, size: number): void {
    this.each(offset, size, (p, from, to) => {
      if (this.lo[p]! >= this.hi[p]!) {
        this.lo[p] = from;
        this.hi[p] = to;
      } else {
        this.lo[p] = Math.min(this.lo[p]!, from);
        this.hi[p] = Math.max(this.hi[p]!, to);
      }
    });
  }

  /** Bytes [offset, offset + size) are now erased; the extent shrinks where the range covers one of its ends. */
  erased(offset: number, size: number): void {
    this.each(offset, size, (p, from, to) => {
      const lo = this.lo[p]!;
      const hi = this.hi[p]!;
      if (from <= lo && to >= hi) this.hi[p] = this.lo[p] = lo;
      else if (from <= lo && to > lo) this.lo[p] = to;
      else if (from < hi && to >= hi) this.hi[p] = from;
    });
  }

  /** Calls `f` with the parts of [offset, offset + size) that may hold non-erased bytes (in address order). */
  dirtyParts(offset: number, size: number, f: (from: number, to: number) => void): void {
    this.each(offset, size, (p, from, to) => {
      const a = Math.max(from, this.lo[p]!);
      const b = Math.min(to, this.hi[p]!);
      if (a < b) f(a, b);
    });
  }

  private each(offset: number, size: number, f: (p: number, from: number, to: number) => void): void {
    const end = offset + size;
    for (let p = Math.floor(offset / this.partSize); p < this.lo.length && p * this.partSize < end; p++) {
      f(p, Math.max(offset, p * this.partSize), Math.min(end, (p + 1) * this.partSize));
    }
  }
}

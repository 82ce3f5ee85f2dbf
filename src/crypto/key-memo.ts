import { createHash } from 'node:crypto';

/**
 * A small per-thread memo of decoded keys, keyed by the SHA-256 of their bytes:
 * turning key bytes into a node KeyObject costs as much as (RSA: more than) the
 * operation itself, and a client uses the same stored key request after request.
 * Only the digest is a map key; a decoded key lives while it is among the `size`
 * most recently used. Every request still brings its own copy of the bytes from the
 * owner, so a key evicted or replaced there is simply not asked for again (other
 * bytes, another digest).
 */
export class KeyMemo<T> {
  readonly #entries = new Map<string, T>();

  constructor(
    private readonly size: number,
    private readonly decode: (bytes: Uint8Array) => T,
    /** Whether a decoded value may be kept (a failed decode is not). */
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  get(bytes: Uint8Array): T {
    const id = createHash('sha256').update(bytes).digest('base64');
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      this.#entries.delete(id); // most recently used last
      this.#entries.set(id, hit);
      return hit;
    }
    const value = this.decode(bytes);
    if (!this.keep(value)) return value;
    this.#entries.set(id, value);
    if (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }
}

import { WhError, fail, ok, type Result } from '../errors.js';
import type { NvmMetadata } from '../nvm/metadata.js';

/** Slot counts and sizes of one cache (WOLFHSM_CFG_SERVER_KEYCACHE_*). */
export interface KeyCacheConfig {
  readonly count: number;
  readonly bufSize: number;
  readonly bigCount: number;
  readonly bigBufSize: number;
}

/** wolfHSM's library defaults (the example server uses 9 regular slots). */
export const DEFAULT_KEY_CACHE_CONFIG: KeyCacheConfig = { count: 8, bufSize: 256, bigCount: 3, bigBufSize: 1200 };

/** One cache slot; empty when `meta` is null (wolfHSM: metadata id 0). */
export interface KeySlot {
  /** The cached bytes equal the NVM copy, so the slot may be evicted without loss. */
  committed: boolean;
  meta: NvmMetadata | null;
  readonly buf: Uint8Array;
}

/**
 * A key cache (whKeyCacheContext): regular and big slot arrays with wolfHSM's
 * allocation rule. Plain data structure: no policy, no NVM, no locking.
 */
export class KeyCache {
  readonly regular: KeySlot[];
  readonly big: KeySlot[];

  constructor(
    readonly config: KeyCacheConfig = DEFAULT_KEY_CACHE_CONFIG,
    readonly name = 'cache',
  ) {
    const slots = (n: number, size: number) => Array.from({ length: n }, () => ({ committed: false, meta: null, buf: new Uint8Array(size) }));
    this.regular = slots(config.count, config.bufSize);
    this.big = slots(config.bigCount, config.bigBufSize);
  }

  /** The largest key either array can hold. */
  get maxKeySize(): number {
    return Math.max(this.config.count > 0 ? this.config.bufSize : 0, this.config.bigCount > 0 ? this.config.bigBufSize : 0);
  }

  find(id: number): KeySlot | undefined {
    for (const s of this.regular) if (s.meta?.id === id) return s;
    for (const s of this.big) if (s.meta?.id === id) return s;
    return undefined;
  }

  /**
   * _GetKeyCacheSlot: the size class picks the array (never the other one); first
   * empty slot, else the first committed one is evicted; else NOSPACE. The slot comes
   * back zeroed and still empty: the caller fills its metadata at once.
   */
  allocate(size: number): Result<KeySlot> {
    const array = size <= this.config.bufSize ? this.regular : this.big;
    const slot = array.find((s) => s.meta === null) ?? array.find((s) => s.committed);
    if (!slot) return fail(WhError.NOSPACE);
    slot.buf.fill(0);
    slot.meta = null;
    slot.committed = false;
    return ok(slot);
  }

  /** Empties a slot (wolfHSM zeroes the key bytes and clears the id). */
  wipe(slot: KeySlot): void {
    slot.buf.fill(0, 0, slot.meta ? Math.min(slot.meta.len, slot.buf.length) : slot.buf.length);
    slot.meta = null;
    slot.committed = false;
  }

  /** The key bytes of an occupied slot (a view; copy before it leaves the owner). */
  data(slot: KeySlot): Uint8Array {
    return slot.buf.subarray(0, slot.meta?.len ?? 0);
  }

  /** Occupied slots, for tests and inspection. */
  entries(): { id: number; committed: boolean; len: number; big: boolean }[] {
    const out: { id: number; committed: boolean; len: number; big: boolean }[] = [];
    for (const [arr, big] of [[this.regular, false], [this.big, true]] as const)
      for (const s of arr) if (s.meta) out.push({ id: s.meta.id, committed: s.committed, len: s.meta.len, big });
    return out;
  }

  /** Inspection shows a summary, never key bytes. */
  toJSON(): { keyCache: string; keys: number[] } {
    return { keyCache: this.name, keys: this.entries().map((e) => e.id) };
  }
}

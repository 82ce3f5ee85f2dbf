import { CERT_VERIFY_CACHE_COUNT } from './cert-codes.js';

/**
 * A trusted root as a verify-cache entry remembers it: its NVM id and the SHA-256 (hex)
 * of the bytes that were loaded. wolfHSM binds entries to ids only; binding the bytes
 * too means a root replaced by any path (another client's ADDTRUSTED, a plain NVM add)
 * can never be vouched for by an entry made under the old one.
 */
export interface CacheRoot {
  readonly id: number;
  readonly digest: string;
}

/** One verified CA certificate (SHA-256 hex of its DER) and the root set it verified under. */
export interface CacheSlot {
  readonly hash: string;
  readonly roots: readonly CacheRoot[];
}

const sameRoot = (a: CacheRoot, b: CacheRoot) => a.id === b.id && a.digest === b.digest;
const subsetOf = (sub: readonly CacheRoot[], sup: readonly CacheRoot[]) => sub.every((r) => sup.some((s) => sameRoot(r, s)));

/** A hit: a slot for this certificate whose roots were all loaded for this verify (spec 1.4). */
export function cacheHit(slots: readonly CacheSlot[], hash: string, loaded: readonly CacheRoot[]): boolean {
  return slots.some((s) => s.hash === hash && subsetOf(s.roots, loaded));
}

/**
 * The verify-result cache of one client (WOLFHSM_CFG_CERTIFICATE_VERIFY_CACHE, per
 * server context): a 16-slot ring of verified CA certificates. Plain data, owned by
 * the owner actor; verification reads a copy of its slots.
 */
export class VerifyCache {
  enabled = true;
  private slots: (CacheSlot | null)[] = new Array<CacheSlot | null>(CERT_VERIFY_CACHE_COUNT).fill(null);
  private writeIdx = 0;

  /** The occupied slots (copies), or null when disabled: lookups then always miss. */
  snapshot(): CacheSlot[] | null {
    if (!this.enabled) return null;
    return this.slots.filter((s): s is CacheSlot => s !== null).map((s) => ({ hash: s.hash, roots: s.roots.map((r) => ({ ...r })) }));
  }

  /** Records a verified CA unless the same (hash, exact root set) is there; dropped while disabled. */
  insert(slot: CacheSlot): void {
    if (!this.enabled) return;
    const exact = this.slots.some((s) => s !== null && s.hash === slot.hash && s.roots.length === slot.roots.length && subsetOf(s.roots, slot.roots));
    if (exact) return;
    this.slots[this.writeIdx] = { hash: slot.hash, roots: slot.roots.map((r) => ({ ...r })) };
    this.writeIdx = (this.writeIdx + 1) % CERT_VERIFY_CACHE_COUNT;
  }

  /** Drops every entry whose root set names `id` (after ADDTRUSTED/ERASETRUSTED of it); the ring index stays. */
  evictRoot(id: number): void {
    this.slots = this.slots.map((s) => (s && s.roots.some((r) => r.id === id) ? null : s));
  }

  clear(): void {
    this.slots.fill(null);
    this.writeIdx = 0;
  }

  /** Disabling clears, so a later enable starts empty. */
  setEnabled(enable: boolean): void {
    if (!enable) this.clear();
    this.enabled = enable;
  }

  /** Occupied slot count, for tests and inspection. */
  get size(): number {
    return this.slots.filter((s) => s !== null).length;
  }
}

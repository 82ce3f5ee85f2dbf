import { WhError } from '../../src/errors.js';

/**
 * A plain sequential model of one client's keystore view (its local cache, the
 * global cache and NVM) and its counters, written independently of src/keystore
 * from spec-core 4-5, for model-based tests.
 */
const NONMOD = 0x0001;
const NONEXP = 0x0004;
const USAGE = 0x07e0;
const NONDESTROY = 0x0800;

interface Entry {
  flags: number;
  data: number[];
  committed: boolean;
}
type Cache = { regular: (Entry & { key: string } | null)[]; big: (Entry & { key: string } | null)[] };

export interface Geometry {
  count: number;
  bufSize: number;
  bigCount: number;
  bigBufSize: number;
}

export class KeystoreModel {
  private readonly nvm = new Map<string, { flags: number; data: number[] }>();
  private readonly caches: Record<'local' | 'global', Cache>;
  private readonly counters = new Map<number, number>();

  constructor(private readonly g: Geometry) {
    const mk = (): Cache => ({ regular: Array(g.count).fill(null), big: Array(g.bigCount).fill(null) });
    this.caches = { local: mk(), global: mk() };
  }

  private cache(global: boolean): Cache {
    return this.caches[global ? 'global' : 'local'];
  }
  private static key(n: number, global: boolean): string {
    return `${global ? 'g' : 'l'}${n}`;
  }
  private find(n: number, global: boolean): (Entry & { key: string }) | null {
    const k = KeystoreModel.key(n, global);
    const c = this.cache(global);
    return [...c.regular, ...c.big].find((e) => e?.key === k) ?? null;
  }
  private remove(n: number, global: boolean): void {
    const c = this.cache(global);
    const k = KeystoreModel.key(n, global);
    for (const arr of [c.regular, c.big]) arr.forEach((e, i) => e?.key === k && (arr[i] = null));
  }
  private place(n: number, global: boolean, e: Entry): number {
    const c = this.cache(global);
    const arr = e.data.length <= this.g.bufSize ? c.regular : c.big;
    let i = arr.findIndex((x) => x === null);
    if (i < 0) i = arr.findIndex((x) => x?.committed);
    if (i < 0) return WhError.NOSPACE;
    arr[i] = { ...e, key: KeystoreModel.key(n, global) };
    return WhError.OK;
  }
  private flagsOf(n: number, global: boolean): { flags: number; committed: boolean } | null {
    const c = this.find(n, global);
    if (c) return c;
    const s = this.nvm.get(KeystoreModel.key(n, global));
    return s ? { flags: s.flags, committed: false } : null;
  }
  private policy(op: 'cache' | 'evict' | 'export' | 'other', n: number, global: boolean): number {
    const f = this.flagsOf(n, global);
    if (!f) return WhError.NOTFOUND;
    if (op === 'cache' && f.flags & NONMOD) return WhError.ACCESS;
    if (op === 'evict' && !f.committed && f.flags & (NONMOD | NONDESTROY)) return WhError.ACCESS;
    if (op === 'export' && f.flags & NONEXP) return WhError.ACCESS;
    return WhError.OK;
  }

  cacheKey(n: number, global: boolean, flags: number, data: number[]): number {
    if (data.length > Math.max(this.g.bufSize, this.g.bigBufSize)) return WhError.BADARGS;
    const p = this.policy('cache', n, global);
    if (p !== WhError.OK && p !== WhError.NOTFOUND) return p;
    this.remove(n, global);
    return this.place(n, global, { flags, data, committed: false });
  }

  evict(n: number, global: boolean): number {
    const p = this.policy('evict', n, global);
    if (p !== WhError.OK) return p;
    if (!this.find(n, global)) return WhError.NOTFOUND;
    this.remove(n, global);
    return WhError.OK;
  }

  export(n: number, global: boolean): { rc: number; data: number[] } {
    const p = this.policy('export', n, global);
    if (p !== WhError.OK) return { rc: p, data: [] };
    const c = this.find(n, global);
    if (c) return { rc: WhError.OK, data: c.data };
    const s = this.nvm.get(KeystoreModel.key(n, global))!;
    this.place(n, global, { flags: s.flags, data: s.data, committed: true });
    return { rc: WhError.OK, data: s.data };
  }

  commit(n: number, global: boolean): number {
    const p = this.policy('other', n, global);
    if (p !== WhError.OK) return p;
    const c = this.find(n, global);
    if (!c) return WhError.NOTFOUND;
    this.nvm.set(KeystoreModel.key(n, global), { flags: c.flags, data: c.data });
    c.committed = true;
    return WhError.OK;
  }

  erase(n: number, global: boolean): number {
    const ev = this.evict(n, global);
    if (ev !== WhError.OK && ev !== WhError.NOTFOUND) return ev;
    const k = KeystoreModel.key(n, global);
    const s = this.nvm.get(k);
    if (s && s.flags & (NONMOD | NONDESTROY)) return WhError.ACCESS;
    this.nvm.delete(k);
    return WhError.OK;
  }

  revoke(n: number, global: boolean): number {
    const p = this.policy('other', n, global);
    if (p !== WhError.OK) return p;
    const k = KeystoreModel.key(n, global);
    const inNvm = this.nvm.has(k);
    let c = this.find(n, global);
    if (!c) {
      const s = this.nvm.get(k)!;
      const rc = this.place(n, global, { flags: s.flags, data: s.data, committed: true });
      if (rc !== WhError.OK) return rc;
      c = this.find(n, global)!;
    }
    if (c.flags & NONMOD && !(c.flags & USAGE) && c.committed) return WhError.OK;
    c.flags = (c.flags | NONMOD) & ~USAGE;
    if (inNvm) {
      this.nvm.set(k, { flags: c.flags, data: c.data });
      c.committed = true;
    }
    return WhError.OK;
  }

  counterInit(id: number, v: number): { rc: number; value: number } {
    this.counters.set(id, v >>> 0);
    return { rc: 0, value: v >>> 0 };
  }
  counterIncrement(id: number): { rc: number; value: number } {
    const v = this.counters.get(id);
    if (v === undefined) return { rc: WhError.NOTFOUND, value: 0 };
    const next = v === 0xffffffff ? v : v + 1;
    this.counters.set(id, next);
    return { rc: 0, value: next };
  }
  counterRead(id: number): { rc: number; value: number } {
    const v = this.counters.get(id);
    return v === undefined ? { rc: WhError.NOTFOUND, value: 0 } : { rc: 0, value: v };
  }
  counterDestroy(id: number): number {
    this.counters.delete(id);
    return 0;
  }
}

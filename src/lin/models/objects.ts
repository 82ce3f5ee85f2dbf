import { ClientKeyFlag } from '../../keystore/key-id.js';
import { NvmFlags } from '../../nvm/metadata.js';
import { hashString } from '../hash.js';
import { ILLEGAL, type Illegal, type Model, type Operation } from '../types.js';
import { canonical, describeHsmOperation, type HsmInput, type HsmOutput } from './hsm.js';

/**
 * A per-object sequential model of the HSM for histories whose operations each
 * touch one object: an NVM object, a counter, or one key (its cached copies in
 * every session plus its NVM copy). Objects are independent, so the checker can
 * split the history by object (P-compositionality) and check each alone, which
 * keeps long histories tractable.
 *
 * What it cannot know, it accepts: NOSPACE (it depends on everything else in the
 * store) is taken as "nothing happened". Histories with whole-store operations
 * (LIST, GETAVAILABLE, key id assignment) need {@link hsmModel} instead; use
 * {@link objectModelSupports} to choose.
 */
type Obj = { readonly flags: number; readonly data: readonly number[] };
type Cached = Obj & { readonly committed: boolean };
type KeyState = { readonly nvm: Obj | null; readonly caches: Readonly<Record<string, Cached>> };
export type ObjectState = null | Obj | number | KeyState;

const OK = 0;
const BADARGS = -2000;
const ACCESS = -2101;
const NOTFOUND = -2104;
const NOSPACE = -2105;
const PROTECT = NvmFlags.NONMODIFIABLE | NvmFlags.NONDESTROYABLE;

const isGlobal = (keyId: number) => (keyId & ClientKeyFlag.GLOBAL) !== 0;

/** The object an operation touches. */
export function objectOf(i: HsmInput): string {
  switch (i.op) {
    case 'nvm.add':
    case 'nvm.addDma':
    case 'nvm.read':
    case 'nvm.readDma':
    case 'nvm.getMetadata':
      return `nvm:${i.id}`;
    case 'nvm.destroy':
      return `nvm:${i.ids[0]}`;
    case 'counter.init':
    case 'counter.increment':
    case 'counter.read':
    case 'counter.destroy':
      return `ctr:${i.client}:${i.id & 0xff}`;
    case 'nvm.list':
    case 'nvm.getAvailable':
      return 'store';
    case 'pk.eccKeygenCache':
    case 'pk.ed25519Sign':
    case 'pk.x25519ToCache':
    case 'cert.addTrusted':
    case 'cert.eraseTrusted':
    case 'cert.verify':
    case 'she.setUid':
    case 'she.secureBootInit':
    case 'she.loadKey':
    case 'she.encEcb':
      return 'unsupported'; // never partitioned: objectModelSupports refuses them
    default:
      return isGlobal(i.keyId) ? `key:g:${i.keyId & 0xff}` : `key:${i.client}:${i.keyId & 0xff}`;
  }
}

/** True when every operation touches exactly one object this model understands. */
export function objectModelSupports(ops: readonly Operation<HsmInput, HsmOutput>[]): boolean {
  return ops.every(({ input: i }) => {
    if (i.op === 'nvm.list' || i.op === 'nvm.getAvailable') return false;
    // Crypto results are checked by the whole-HSM model's software oracle.
    if (i.op.startsWith('crypto.') || i.op.startsWith('pk.') || i.op.startsWith('she.') || i.op.startsWith('cert.')) return false;
    if (i.op === 'nvm.destroy') return i.ids.length === 1;
    if (i.op.startsWith('key.')) {
      const k = (i as { keyId: number }).keyId;
      return (k & 0xff) !== 0 && (k & (ClientKeyFlag.WRAPPED | ClientKeyFlag.HW)) === 0 && !(i.op === 'key.cache' && ((i as { flags?: number }).flags ?? 0) & NvmFlags.TRUSTED);
    }
    if (i.op.startsWith('nvm.')) return (i as { id?: number }).id === undefined || (i as { id: number }).id < 0x1000;
    return true;
  });
}

const res = (rc: number, value?: unknown): HsmOutput => (value === undefined ? { rc } : { rc, value });

/** One step on one object: the output it must give and the state after, or null if it is not modelled. */
function stepObject(s: ObjectState, i: HsmInput): [HsmOutput, ObjectState] {
  switch (i.op) {
    case 'nvm.add':
    case 'nvm.addDma': {
      const o = s as Obj | null;
      const flags = ((i as { flags?: number }).flags ?? 0) & ~NvmFlags.TRUSTED;
      if (o && o.flags & NvmFlags.NONMODIFIABLE) return [res(ACCESS), o];
      return [res(OK), { flags, data: i.data }];
    }
    case 'nvm.read':
    case 'nvm.readDma': {
      const o = s as Obj | null;
      if (!o) return [res(NOTFOUND), o];
      if (i.offset >= o.data.length) return [res(BADARGS), o];
      if (o.flags & NvmFlags.NONEXPORTABLE) return [res(ACCESS), o];
      const bytes = o.data.slice(i.offset, i.offset + i.len);
      return [res(OK, i.op === 'nvm.readDma' ? [...bytes, ...new Array<number>(i.len - bytes.length).fill(0)] : bytes), o];
    }
    case 'nvm.getMetadata': {
      const o = s as Obj | null;
      return o ? [res(OK, { id: i.id, flags: o.flags, len: o.data.length }), o] : [res(NOTFOUND), o];
    }
    case 'nvm.destroy': {
      const o = s as Obj | null;
      if (o && o.flags & PROTECT) return [res(ACCESS), o];
      return [res(OK), null];
    }
    case 'counter.init':
      return [res(OK, i.value >>> 0), i.value >>> 0];
    case 'counter.increment': {
      if (s === null) return [res(NOTFOUND), s];
      const v = (s as number) === 0xffffffff ? 0xffffffff : (s as number) + 1;
      return [res(OK, v), v];
    }
    case 'counter.read':
      return s === null ? [res(NOTFOUND), s] : [res(OK, s), s];
    case 'counter.destroy':
      return [res(OK), null];
    default:
      return stepKey((s as KeyState | null) ?? { nvm: null, caches: {} }, i);
  }
}

function stepKey(k: KeyState, i: HsmInput): [HsmOutput, KeyState] {
  const where = 'keyId' in i && i.keyId !== undefined && isGlobal(i.keyId) ? 'g' : 'session' in i ? i.session : 'g';
  const cached = k.caches[where] ?? null;
  const withCache = (c: Cached | null): KeyState => {
    const caches = { ...k.caches };
    if (c) caches[where] = c;
    else delete caches[where];
    return { nvm: k.nvm, caches };
  };
  const found = cached ?? (k.nvm ? { ...k.nvm, committed: false } : null);
  const policy = (op: 'cache' | 'evict' | 'export' | 'other'): number => {
    if (!found) return NOTFOUND;
    if (op === 'cache' && found.flags & NvmFlags.NONMODIFIABLE) return ACCESS;
    if (op === 'evict' && !cached?.committed && found.flags & PROTECT) return ACCESS;
    if (op === 'export' && found.flags & NvmFlags.NONEXPORTABLE) return ACCESS;
    return OK;
  };
  switch (i.op) {
    case 'key.cache':
    case 'key.cacheDma': {
      const p = policy('cache');
      if (p !== OK && p !== NOTFOUND) return [res(p), k];
      const flags = i.op === 'key.cache' ? (i.flags ?? 0) & 0xffff & ~NvmFlags.SERVER_ONLY : 0;
      if (i.data.length === 0 && i.op === 'key.cacheDma') return [res(BADARGS), withCache(null)];
      return [res(OK, i.keyId), withCache({ flags, data: i.data, committed: false })];
    }
    case 'key.evict': {
      const p = policy('evict');
      if (p !== OK) return [res(p), k];
      return cached ? [res(OK), withCache(null)] : [res(NOTFOUND), k];
    }
    case 'key.export':
    case 'key.exportDma': {
      const p = policy('export');
      if (p !== OK) return [res(p), k];
      if (cached) {
        if (i.op === 'key.exportDma' && i.capacity < cached.data.length) return [res(NOSPACE), k];
        return [res(OK, cached.data), k];
      }
      const n = k.nvm!;
      if (i.op === 'key.exportDma' && i.capacity < n.data.length) return [res(NOSPACE), withCache({ ...n, committed: true })];
      return [res(OK, n.data), withCache({ ...n, committed: true })];
    }
    case 'key.commit': {
      const p = policy('other');
      if (p !== OK) return [res(p), k];
      if (!cached) return [res(NOTFOUND), k];
      return [res(OK), { nvm: { flags: cached.flags, data: cached.data }, caches: { ...k.caches, [where]: { ...cached, committed: true } } }];
    }
    case 'key.erase': {
      const ev = policy('evict');
      if (ev !== OK && ev !== NOTFOUND) return [res(ev), k];
      const after = withCache(null);
      if (after.nvm && after.nvm.flags & PROTECT) return [res(ACCESS), after];
      return [res(OK), { nvm: null, caches: after.caches }];
    }
    case 'key.revoke': {
      const p = policy('other');
      if (p !== OK) return [res(p), k];
      const inNvm = k.nvm !== null;
      const c = cached ?? { ...k.nvm!, committed: true };
      if (c.flags & NvmFlags.NONMODIFIABLE && !(c.flags & NvmFlags.USAGE_ANY) && c.committed) return [res(OK), withCache(c)];
      const flags = (c.flags | NvmFlags.NONMODIFIABLE) & ~NvmFlags.USAGE_ANY;
      if (!inNvm) return [res(OK), withCache({ ...c, flags })];
      return [res(OK), { nvm: { flags, data: c.data }, caches: { ...k.caches, [where]: { flags, data: c.data, committed: true } } }];
    }
    default:
      throw new Error(`not an object operation: ${i.op}`);
  }
}

export const objectModel: Model<ObjectState, HsmInput, HsmOutput> = {
  name: 'hsm-objects',
  init: () => null,
  step(state, input, output): ObjectState | Illegal {
    const [expected, next] = stepObject(state, input);
    if (output === undefined) return next;
    if (output.rc === NOSPACE && expected.rc !== NOSPACE) return state; // store-wide condition: nothing happened
    return canonical(expected) === canonical(output) ? next : ILLEGAL;
  },
  hash: (s) => hashString(canonical(s)),
  equal: (a, b) => canonical(a) === canonical(b),
  partition(ops) {
    const by = new Map<string, Operation<HsmInput, HsmOutput>[]>();
    for (const o of ops) {
      const k = objectOf(o.input);
      const list = by.get(k);
      if (list) list.push(o);
      else by.set(k, [o]);
    }
    return [...by.values()];
  },
  describeOperation: describeHsmOperation,
  describeState: (s) => canonical(s).slice(0, 300),
};

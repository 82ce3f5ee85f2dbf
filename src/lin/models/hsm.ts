import { newCertState } from '../../cert/cert-state.js';
import { newSheState, type SheState } from '../../she/she-state.js';
import { createCipheriv, hkdfSync } from 'node:crypto';
import { WhError } from '../../errors.js';
import { runOwnerOp, type OwnerOp, type OwnerState } from '../../actors/owner-ops.js';
import { counterNvmId } from '../../core/counter.js';
import { KeyCache, type KeyCacheConfig } from '../../keystore/key-cache.js';
import { DEFAULT_KEY_FEATURES, KeyType, keyIdFromClient, keyIdToClient, type KeyFeatures } from '../../keystore/key-id.js';
import { NVM_ACCESS_ANY, NvmFlags, makeMetadata, type NvmMetadata } from '../../nvm/metadata.js';
import { Nvm } from '../../nvm/nvm.js';
import { NvmFlash } from '../../nvm/nvm-flash.js';
import { RamFlash } from '../../ports/flash/ram-flash.js';
import { ILLEGAL, type Model } from '../types.js';
import { applyCert, type HsmCertInput } from './hsm-cert.js';
import { applyPk, type HsmPkInput } from './hsm-pk.js';
import { applyShe, loadShe, sheText, type HsmSheInput } from './hsm-she.js';

/**
 * Client-level operations of the HSM, as a history records them. `client` is
 * the COMM INIT client id (it scopes key ids and counters); `session` names the
 * connection, whose own local key cache key operations use (two connections with
 * the same client id have separate local caches, as wolfHSM's server contexts).
 */
export type HsmInput =
  | { readonly op: 'nvm.add'; readonly client: number; readonly id: number; readonly data: readonly number[]; readonly flags?: number }
  | { readonly op: 'nvm.read'; readonly client: number; readonly id: number; readonly offset: number; readonly len: number }
  | { readonly op: 'nvm.destroy'; readonly client: number; readonly ids: readonly number[] }
  | { readonly op: 'nvm.getMetadata'; readonly client: number; readonly id: number }
  | { readonly op: 'nvm.list'; readonly client: number; readonly startId: number }
  | { readonly op: 'nvm.getAvailable'; readonly client: number }
  | { readonly op: 'counter.init'; readonly client: number; readonly id: number; readonly value: number }
  | { readonly op: 'counter.increment' | 'counter.read' | 'counter.destroy'; readonly client: number; readonly id: number }
  | { readonly op: 'key.cache'; readonly client: number; readonly session: string; readonly keyId: number; readonly data: readonly number[]; readonly flags?: number }
  | { readonly op: 'key.export' | 'key.evict' | 'key.commit' | 'key.erase' | 'key.revoke'; readonly client: number; readonly session: string; readonly keyId: number }
  /** DMA variants: the bytes travel through client memory; their effect on the core is the same compound step. */
  | { readonly op: 'key.cacheDma'; readonly client: number; readonly session: string; readonly keyId: number; readonly data: readonly number[] }
  | { readonly op: 'key.exportDma'; readonly client: number; readonly session: string; readonly keyId: number; readonly capacity: number }
  | { readonly op: 'nvm.addDma'; readonly client: number; readonly id: number; readonly data: readonly number[] }
  | { readonly op: 'nvm.readDma'; readonly client: number; readonly id: number; readonly offset: number; readonly len: number }
  /** CRYPTO AES-ECB encryption of one block under a stored key: the key read and its usage check are one step. */
  | { readonly op: 'crypto.aesEcbByKey'; readonly client: number; readonly session: string; readonly keyId: number; readonly data: readonly number[] }
  /** HKDF-SHA256 of an inline IKM, the output cached under `keyId` (number 0: the server picks a free one). */
  | { readonly op: 'crypto.hkdfToCache'; readonly client: number; readonly session: string; readonly keyId: number; readonly ikm: readonly number[]; readonly outSz: number; readonly flags: number }
  | HsmPkInput
  | HsmSheInput
  | HsmCertInput;

/** What the client saw: the result code and, on success, the values it carries (JSON-plain). */
export interface HsmOutput {
  readonly rc: number;
  readonly value?: unknown;
}

/** Geometry the model must share with the server under test. */
export interface HsmGeometry {
  readonly partitionSize: number;
  readonly objectCount: number;
  readonly keyCache: KeyCacheConfig;
  readonly features?: KeyFeatures;
  /** COMM DATA_LEN (bounds an export). */
  readonly dataLen?: number;
}

/** An immutable snapshot of everything an operation can touch. */
export interface HsmState {
  readonly flash: Uint8Array;
  /** Key caches by owner: 'g' (global) or the session's name. */
  readonly caches: ReadonlyMap<string, string>;
  /** SHE's global state (UID, secure boot, PRNG) as text. */
  readonly she: string;
  readonly hash: number;
}

const fnv = (bytes: Uint8Array, seed = 0x811c9dc5) => {
  let h = seed;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h | 0;
};

function cacheText(c: KeyCache): string {
  const slot = (s: { committed: boolean; meta: NvmMetadata | null; buf: Uint8Array }) =>
    s.meta ? `${s.meta.id}:${s.meta.flags}:${s.committed ? 1 : 0}:${Buffer.from(s.buf.subarray(0, s.meta.len)).toString('hex')}:${Buffer.from(s.meta.label).toString('hex')}` : '-';
  return [...c.regular, ...c.big].map(slot).join('|');
}

function loadCache(text: string | undefined, cfg: KeyCacheConfig, name: string): KeyCache {
  const c = new KeyCache(cfg, name);
  if (!text) return c;
  const slots = [...c.regular, ...c.big];
  text.split('|').forEach((t, i) => {
    if (t === '-') return;
    const [id, flags, committed, data, label] = t.split(':');
    const bytes = Buffer.from(data!, 'hex');
    slots[i]!.buf.set(bytes);
    slots[i]!.meta = makeMetadata({ id: Number(id), flags: Number(flags), len: bytes.length, label: new Uint8Array(Buffer.from(label!, 'hex')) });
    slots[i]!.committed = committed === '1';
  });
  return c;
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Array.from(x) : x)));

/** Byte arrays longer than 8 are shown as their length. */
const abbreviate = (_k: string, v: unknown) => (Array.isArray(v) && v.length > 8 ? `${v.length} bytes` : v);

/** One HSM operation in a report: `op{args} -> output` (shared by every model of HsmInput). */
export function describeHsmOperation(input: HsmInput, output: HsmOutput | undefined): string {
  const { op, ...args } = input;
  return `${op}${JSON.stringify(args, abbreviate)} -> ${output === undefined ? 'pending' : JSON.stringify(output, abbreviate)}`;
}

/** JSON with object keys sorted, so outputs compare regardless of construction order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

/**
 * The sequential specification of the whole HSM: the library's own synchronous
 * core (NVM store over a RAM flash, key caches, counters), replayed one operation
 * at a time from an immutable snapshot. Checking a concurrent history against it
 * proves the actor server is linearizable with respect to its sequential core;
 * the core itself is tested against wolfHSM's facts elsewhere.
 *
 * Not partitioned: free space, lists and unique ids depend on the whole store.
 */
export function hsmModel(g: HsmGeometry): Model<HsmState, HsmInput, HsmOutput> {
  const features = g.features ?? DEFAULT_KEY_FEATURES;
  const dataLen = g.dataLen ?? 8192;
  const snapshot = (flash: RamFlash, caches: Map<string, KeyCache>, she: SheState): HsmState => {
    const texts = new Map<string, string>();
    const sheT = sheText(she);
    let h = fnv(new TextEncoder().encode(sheT), fnv(flash.memory));
    for (const [k, c] of [...caches].sort(([a], [b]) => a.localeCompare(b))) {
      const t = cacheText(c);
      texts.set(k, t);
      h = fnv(new TextEncoder().encode(k + t), h);
    }
    return { flash: flash.snapshot(), caches: texts, she: sheT, hash: h };
  };
  // The search revisits the same (state, operation) pairs while backtracking: replaying
  // the core is the expensive part, so each pair is computed once.
  const inputKeys = new WeakMap<HsmInput, string>();
  const memo = new WeakMap<HsmState, Map<string, { out: string; next: HsmState }>>();
  const keyOf = (input: HsmInput) => {
    let k = inputKeys.get(input);
    if (k === undefined) inputKeys.set(input, (k = canonical(input)));
    return k;
  };
  const replay = (state: HsmState, input: HsmInput): { out: string; next: HsmState } => {
    let byInput = memo.get(state);
    if (!byInput) memo.set(state, (byInput = new Map()));
    const k = keyOf(input);
    let hit = byInput.get(k);
    if (!hit) byInput.set(k, (hit = execute(state, input)));
    return hit;
  };
  const execute = (state: HsmState, input: HsmInput): { out: string; next: HsmState } => {
    const flash = new RamFlash({ size: 2 * g.partitionSize, sectorSize: g.partitionSize, pageSize: 8, initData: state.flash });
    const nvm = new Nvm();
    nvm.init(new NvmFlash(flash, { objectCount: g.objectCount }));
    const caches = new Map<string, KeyCache>();
    for (const [k, t] of state.caches) caches.set(k, loadCache(t, g.keyCache, k));
    // The global cache is part of the snapshot: reuse it, never a fresh one per step.
    let global: KeyCache | null = null;
    if (features.globalKeys) {
      global = caches.get('g') ?? new KeyCache(g.keyCache, 'g');
      caches.set('g', global);
    }
    // CERT's state is the per-client verify caches, keyed by session objects the model
    // recreates each step: every step starts with empty caches (the phases' one-leaf
    // chains never insert into them).
    const s: OwnerState = { nvm, globalCache: global, keyFeatures: features, random: (n) => new Uint8Array(n), job: null, nextJob: 1, she: loadShe(state.she), cert: newCertState() };
    const local = (session: string) => {
      const k = `s:${session}`;
      let c = caches.get(k);
      if (!c) caches.set(k, (c = new KeyCache(g.keyCache, k)));
      return c;
    };
    const run = (op: OwnerOp) => runOwnerOp(s, op) as { rc: number; value?: unknown };
    const out = canonical(apply(input, run, local, features, dataLen));
    // Unused local caches are not part of the state (a session that never cached a key).
    for (const [k, c] of caches) if (k !== 'g' && c.entries().length === 0) caches.delete(k);
    return { out, next: snapshot(flash, caches, s.she) };
  };
  return {
    name: 'hsm',
    init() {
      const flash = new RamFlash({ size: 2 * g.partitionSize, sectorSize: g.partitionSize, pageSize: 8 });
      const nvm = new Nvm();
      nvm.init(new NvmFlash(flash, { objectCount: g.objectCount }));
      return snapshot(flash, new Map(), newSheState());
    },
    step(state, input, output) {
      const { out, next } = replay(state, input);
      return output !== undefined && out !== canonical(output) ? ILLEGAL : next;
    },
    hash: (s) => s.hash,
    equal: (a, b) => a.hash === b.hash && a.she === b.she && Buffer.compare(a.flash, b.flash) === 0 && JSON.stringify([...a.caches]) === JSON.stringify([...b.caches]),
    describeOperation: describeHsmOperation,
    describeState: (s) => `flash#${(s.hash >>> 0).toString(16)} caches ${JSON.stringify([...s.caches.entries()].map(([k, t]) => [k, t.split('|').filter((x) => x !== '-').map((x) => x.split(':')[0])]))}`,
  };
}

/** What a client-level operation does to the core, and what the client sees (mirrors the handlers). */
function apply(input: HsmInput, run: (op: OwnerOp) => { rc: number; value?: unknown }, local: (session: string) => KeyCache, f: KeyFeatures, dataLen: number): HsmOutput {
  const result = (r: { rc: number; value?: unknown }, pick?: (v: never) => unknown): HsmOutput =>
    r.rc === 0 && pick ? { rc: 0, value: plain(pick(r.value as never)) } : { rc: r.rc };
  const keyId = (client: number, id: number) => keyIdFromClient(KeyType.CRYPTO, client, id, f);
  switch (input.op) {
    case 'nvm.add': {
      const meta = makeMetadata({ id: input.id, access: NVM_ACCESS_ANY, flags: (input.flags ?? 0) & ~NvmFlags.TRUSTED, len: input.data.length });
      return result(run({ kind: 'nvm.addObjectChecked', args: { meta, data: Uint8Array.from(input.data) } }));
    }
    case 'nvm.read':
      return result(run({ kind: 'nvm.readClamped', args: { id: input.id, offset: input.offset, len: input.len } }), (v: Uint8Array) => Array.from(v));
    case 'nvm.destroy':
      return result(run({ kind: 'nvm.destroyObjectsChecked', args: { ids: input.ids } }));
    case 'nvm.getMetadata':
      return result(run({ kind: 'nvm.getMetadata', args: { id: input.id } }), (m: NvmMetadata) => ({ id: m.id, flags: m.flags, len: m.len }));
    case 'nvm.list':
      return result(run({ kind: 'nvm.list', args: { access: 0, flags: 0, startId: input.startId } }), (l: object) => l);
    case 'nvm.getAvailable':
      return result(run({ kind: 'nvm.getAvailable', args: {} }), (a: object) => a);
    case 'counter.init':
      return result(run({ kind: 'counter.init', args: { nvmId: counterNvmId(input.client, input.id), value: input.value } }), (v: number) => v);
    case 'counter.increment':
    case 'counter.read':
      return result(run({ kind: input.op, args: { nvmId: counterNvmId(input.client, input.id) } }), (v: number) => v);
    case 'counter.destroy':
      return result(run({ kind: 'counter.destroy', args: { nvmId: counterNvmId(input.client, input.id) } }));
    case 'key.cache': {
      const meta = makeMetadata({ id: keyId(input.client, input.keyId), access: NVM_ACCESS_ANY, flags: (input.flags ?? 0) & 0xffff & ~NvmFlags.SERVER_ONLY, len: input.data.length });
      return result(run({ kind: 'key.cache', args: { local: local(input.session), meta, data: Uint8Array.from(input.data) } }), (id: number) => keyIdToClient(id, f));
    }
    case 'crypto.aesEcbByKey': {
      // The software oracle: the key the core hands out for ENCRYPT, then AES-ECB by node:crypto.
      const k = run({ kind: 'key.readForUse', args: { local: local(input.session), id: keyId(input.client, input.keyId), usage: NvmFlags.USAGE_ENCRYPT, capacity: 32 } });
      if (k.rc !== 0) return { rc: k.rc };
      const key = (k.value as { data: Uint8Array }).data;
      if (![16, 24, 32].includes(key.length)) return { rc: WhError.BADARGS };
      return { rc: 0, value: aesEcbOracle(key, Uint8Array.from(input.data)) };
    }
    case 'crypto.hkdfToCache': {
      const okm = new Uint8Array(hkdfSync('sha256', Uint8Array.from(input.ikm), new Uint8Array(0), new Uint8Array(0), input.outSz));
      const args = { local: local(input.session), id: keyId(input.client, input.keyId), flags: input.flags, label: new Uint8Array(24), data: okm };
      return result(run({ kind: 'key.cacheGenerated', args }), (id: number) => keyIdToClient(id, f));
    }
    case 'cert.addTrusted':
    case 'cert.eraseTrusted':
    case 'cert.verify':
      return applyCert(input, run, local(input.session), (id) => keyIdToClient(id, f));
    case 'she.setUid':
    case 'she.secureBootInit':
    case 'she.loadKey':
    case 'she.encEcb':
      return applyShe(input, run, local(input.session));
    case 'pk.eccKeygenCache':
    case 'pk.ed25519Sign':
    case 'pk.x25519ToCache':
      return applyPk(input, run, local(input.session), keyId, (id) => keyIdToClient(id, f));
    case 'nvm.addDma':
      return apply({ op: 'nvm.add', client: input.client, id: input.id, data: input.data }, run, local, f, dataLen);
    case 'nvm.readDma':
      // The client sees its whole buffer (zeroed before the call): the clamped bytes, then zeros.
      return result(run({ kind: 'nvm.readClamped', args: { id: input.id, offset: input.offset, len: input.len } }), (v: Uint8Array) => {
        const buf = new Uint8Array(input.len);
        buf.set(v.subarray(0, input.len));
        return Array.from(buf);
      });
    case 'key.cacheDma': {
      const meta = makeMetadata({ id: keyId(input.client, input.keyId), access: NVM_ACCESS_ANY, len: input.data.length });
      // As the handler: the transfer first (a zero length fails it with BADARGS), then one owner message.
      const empty = input.data.length === 0;
      const args = { local: local(input.session), meta, data: empty ? null : Uint8Array.from(input.data), transferRc: empty ? WhError.BADARGS : WhError.OK };
      return result(run({ kind: 'key.cacheDma', args }), (id: number) => keyIdToClient(id, f));
    }
    case 'key.exportDma':
      return result(run({ kind: 'key.exportDma', args: { local: local(input.session), id: keyId(input.client, input.keyId), capacity: input.capacity } }), (k: { data: Uint8Array }) =>
        Array.from(k.data),
      );
    case 'key.export':
      return result(run({ kind: 'key.export', args: { local: local(input.session), id: keyId(input.client, input.keyId), capacity: dataLen - 36 } }), (k: { data: Uint8Array }) =>
        Array.from(k.data),
      );
    default:
      return result(run({ kind: input.op, args: { local: local(input.session), id: keyId(input.client, input.keyId) } }));
  }
}

/** AES-ECB encryption with node:crypto, independent of the server's AES code. */
function aesEcbOracle(key: Uint8Array, data: Uint8Array): number[] {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return Array.from(Buffer.concat([c.update(data), c.final()]));
}

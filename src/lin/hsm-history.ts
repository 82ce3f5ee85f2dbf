import type { HsmClient } from '../client/hsm-client.js';
import type { HsmInput, HsmOutput } from './models/hsm.js';
import type { HistoryRecorder } from './recorder.js';
import type { SimulatedClientMemory } from '../ports/dma/client-memory.js';
import { encodeMetadata, makeMetadata } from '../nvm/metadata.js';
import { aesEcb } from '../client/crypto/aes.js';
import { hkdf } from '../client/crypto/kdf.js';
import { WcHash } from '../crypto/wolfcrypt.js';
import { DEFAULT_KEY_FEATURES, KeyType, keyIdFromClient } from '../keystore/key-id.js';

/** Where the recording client keeps DMA buffers in its memory (needs 4 KiB). */
const DMA_META = 0;
const DMA_IN = 64;
const DMA_OUT = 2048;

const out = (rc: number, value?: unknown): HsmOutput => (rc === 0 && value !== undefined ? { rc, value } : { rc });

/**
 * An HsmClient whose every call is recorded (input, output, call and return
 * times) for the linearizability checker, in the form the HSM model speaks.
 */
export class RecordingHsmClient {
  constructor(
    readonly client: HsmClient,
    readonly clientId: number,
    private readonly recorder: HistoryRecorder<HsmInput, HsmOutput>,
    /** This client's memory, for the DMA variants. */
    readonly mem?: SimulatedClientMemory,
    /** The history's process label (one per connection; two connections may share a client id). */
    readonly process: string = `client ${clientId}`,
  ) {}

  private memory(): SimulatedClientMemory {
    if (!this.mem) throw new Error('this client has no DMA memory');
    return this.mem;
  }

  /** CACHE_DMA: the key bytes are placed in client memory first, then the server pulls them. */
  keyCacheDma(keyId: number, data: readonly number[]) {
    const mem = this.memory();
    return this.rec({ op: 'key.cacheDma', client: this.clientId, session: this.process, keyId, data }, async () => {
      mem.bytes.set(data, DMA_IN);
      const r = await this.client.keyCacheDma(keyId, mem.addr(DMA_IN), data.length);
      return out(r.rc, r.keyId);
    });
  }
  /** EXPORT_DMA into this client's memory; the output is what landed there. */
  keyExportDma(keyId: number, capacity: number) {
    const mem = this.memory();
    return this.rec({ op: 'key.exportDma', client: this.clientId, session: this.process, keyId, capacity }, async () => {
      const r = await this.client.keyExportDma(keyId, mem.addr(DMA_OUT), capacity);
      return out(r.rc, Array.from(mem.bytes.subarray(DMA_OUT, DMA_OUT + r.len)));
    });
  }
  addDma(id: number, data: readonly number[]) {
    const mem = this.memory();
    return this.rec({ op: 'nvm.addDma', client: this.clientId, id, data }, async () => {
      mem.bytes.set(encodeMetadata(makeMetadata({ id, len: data.length }), undefined, 0, true), DMA_META);
      mem.bytes.set(data, DMA_IN);
      return out(await this.client.nvmAddObjectDma(mem.addr(DMA_META), mem.addr(DMA_IN), data.length));
    });
  }
  readDma(id: number, offset: number, len: number) {
    const mem = this.memory();
    return this.rec({ op: 'nvm.readDma', client: this.clientId, id, offset, len }, async () => {
      mem.bytes.fill(0, DMA_OUT, DMA_OUT + len);
      const rc = await this.client.nvmReadDma(id, offset, len, mem.addr(DMA_OUT));
      return out(rc, Array.from(mem.bytes.subarray(DMA_OUT, DMA_OUT + len)));
    });
  }

  private rec(input: HsmInput, run: () => Promise<HsmOutput>): Promise<HsmOutput> {
    return this.recorder.record(this.process, input, run);
  }

  add(id: number, data: readonly number[], flags = 0) {
    return this.rec({ op: 'nvm.add', client: this.clientId, id, data, flags }, async () => out(await this.client.nvmAddObject({ id, access: 0xffff, flags, len: data.length, label: new Uint8Array(24) }, Uint8Array.from(data))));
  }
  read(id: number, offset: number, len: number) {
    return this.rec({ op: 'nvm.read', client: this.clientId, id, offset, len }, async () => {
      const r = await this.client.nvmRead(id, offset, len);
      return out(r.rc, Array.from(r.data));
    });
  }
  destroy(ids: readonly number[]) {
    return this.rec({ op: 'nvm.destroy', client: this.clientId, ids }, async () => out(await this.client.nvmDestroyObjects(ids)));
  }
  getMetadata(id: number) {
    return this.rec({ op: 'nvm.getMetadata', client: this.clientId, id }, async () => {
      const r = await this.client.nvmGetMetadata(id);
      return out(r.rc, { id: r.meta.id, flags: r.meta.flags, len: r.meta.len });
    });
  }
  list(startId: number) {
    return this.rec({ op: 'nvm.list', client: this.clientId, startId }, async () => {
      const r = await this.client.nvmList(0, 0, startId);
      return out(r.rc, { count: r.count, id: r.id });
    });
  }
  getAvailable() {
    return this.rec({ op: 'nvm.getAvailable', client: this.clientId }, async () => {
      const { rc, ...a } = await this.client.nvmGetAvailable();
      return out(rc, a);
    });
  }
  counterInit(id: number, value: number) {
    return this.rec({ op: 'counter.init', client: this.clientId, id, value }, async () => {
      const r = await this.client.counterInit(id, value);
      return out(r.rc, r.value);
    });
  }
  counterIncrement(id: number) {
    return this.rec({ op: 'counter.increment', client: this.clientId, id }, async () => {
      const r = await this.client.counterIncrement(id);
      return out(r.rc, r.value);
    });
  }
  counterRead(id: number) {
    return this.rec({ op: 'counter.read', client: this.clientId, id }, async () => {
      const r = await this.client.counterRead(id);
      return out(r.rc, r.value);
    });
  }
  counterDestroy(id: number) {
    return this.rec({ op: 'counter.destroy', client: this.clientId, id }, async () => out(await this.client.counterDestroy(id)));
  }
  /** AES-ECB encryption of whole blocks under stored key `keyId` (CRYPTO action 2, algoType 13). */
  aesEcbByKey(keyId: number, data: readonly number[]) {
    return this.rec({ op: 'crypto.aesEcbByKey', client: this.clientId, session: this.process, keyId, data }, async () => {
      const r = await aesEcb(this.client, { keyId, encrypt: true, data: Uint8Array.from(data) });
      return 'data' in r ? out(r.rc, Array.from(r.data)) : out(r.rc);
    });
  }
  /** HKDF-SHA256 of `ikm` on the server, the output cached (key id number 0: a free one is picked). */
  hkdfToCache(keyId: number, ikm: readonly number[], outSz: number, flags = 0) {
    return this.rec({ op: 'crypto.hkdfToCache', client: this.clientId, session: this.process, keyId, ikm, outSz, flags }, async () => {
      const r = await hkdf(this.client, { hashType: WcHash.SHA256, ikm: Uint8Array.from(ikm), outSz }, { keyId, flags });
      return out(r.rc, r.keyId);
    });
  }
  sheSetUid(uid: Uint8Array) {
    return this.rec({ op: 'she.setUid', client: this.clientId, session: this.process, uid: Array.from(uid) }, async () => out(await this.client.she.setUid(uid)));
  }
  sheSecureBootInit(size: number) {
    return this.rec({ op: 'she.secureBootInit', client: this.clientId, session: this.process, size }, async () => out((await this.client.she.secureBootInit(size)).rc));
  }
  /** ECC P-256 key generation cached under `keyId` (number 0: the server picks one). */
  eccKeygenCache(keyId: number, flags: number) {
    return this.rec({ op: 'pk.eccKeygenCache', client: this.clientId, session: this.process, keyId, flags }, async () => {
      const r = await this.client.crypto.ecc.generate({ curve: 'P-256', keyId, flags });
      return 'keyId' in r ? out(r.rc, r.keyId) : out(r.rc);
    });
  }
  /** Pure Ed25519 signature of `message` by stored key `keyId`. */
  ed25519Sign(keyId: number, message: readonly number[]) {
    return this.rec({ op: 'pk.ed25519Sign', client: this.clientId, session: this.process, keyId, message }, async () => {
      const r = await this.client.crypto.ed25519.sign({ keyId, message: Uint8Array.from(message) });
      return 'signature' in r ? out(r.rc, Array.from(r.signature)) : out(r.rc);
    });
  }
  /** X25519 of two stored keys, the secret (RFC 7748 order) cached under `keyId`. */
  x25519ToCache(privateKeyId: number, publicKeyId: number, keyId: number, flags = 0) {
    return this.rec({ op: 'pk.x25519ToCache', client: this.clientId, session: this.process, privateKeyId, publicKeyId, keyId, flags }, async () => {
      const r = await this.client.crypto.curve25519.sharedSecret({ privateKeyId, publicKeyId, endian: 'little', cache: { keyId, flags } });
      return 'keyId' in r ? out(r.rc, r.keyId) : out(r.rc);
    });
  }
  certAddTrusted(id: number, cert: Uint8Array, flags = 0) {
    return this.rec({ op: 'cert.addTrusted', client: this.clientId, session: this.process, id, cert: Array.from(cert), flags }, async () =>
      out(await this.client.cert.addTrusted(id, cert, { flags })),
    );
  }
  certEraseTrusted(id: number) {
    return this.rec({ op: 'cert.eraseTrusted', client: this.clientId, session: this.process, id }, async () => out(await this.client.cert.eraseTrusted(id)));
  }
  /** VERIFY of one leaf against a root; with `cacheLeafKey` (client-form id) its public key is cached. */
  certVerify(chain: Uint8Array, rootId: number, cacheLeafKey?: { keyId: number; flags: number }) {
    const leaf = cacheLeafKey ? { keyId: keyIdFromClient(KeyType.CRYPTO, this.clientId, cacheLeafKey.keyId, DEFAULT_KEY_FEATURES), keyFlags: cacheLeafKey.flags } : {};
    return this.rec({ op: 'cert.verify', client: this.clientId, session: this.process, chain: Array.from(chain), rootId, ...leaf }, async () => {
      const r = await this.client.cert.verify(chain, rootId, cacheLeafKey ? { cacheLeafKey } : {});
      return cacheLeafKey ? out(r.rc, r.keyId) : out(r.rc);
    });
  }
  /** SHE LOAD_KEY with M1..M3 made by the caller. */
  sheLoadKey(m: { m1: Uint8Array; m2: Uint8Array; m3: Uint8Array }) {
    return this.rec({ op: 'she.loadKey', client: this.clientId, session: this.process, m1: Array.from(m.m1), m2: Array.from(m.m2), m3: Array.from(m.m3) }, async () => {
      const r = await this.client.she.loadKey(m);
      return 'm4' in r ? out(r.rc, { m4: Array.from(r.m4), m5: Array.from(r.m5) }) : out(r.rc);
    });
  }
  /** SHE ENC_ECB of whole blocks with the key in `slot`. */
  sheEncEcb(slot: number, data: readonly number[]) {
    return this.rec({ op: 'she.encEcb', client: this.clientId, session: this.process, slot, data }, async () => {
      const r = await this.client.she.encEcb(slot, Uint8Array.from(data));
      return 'data' in r ? out(r.rc, Array.from(r.data)) : out(r.rc);
    });
  }
  keyCache(keyId: number, data: readonly number[], flags = 0) {
    return this.rec({ op: 'key.cache', client: this.clientId, session: this.process, keyId, data, flags }, async () => {
      const r = await this.client.keyCache(keyId, Uint8Array.from(data), { flags });
      return out(r.rc, r.keyId);
    });
  }
  keyExport(keyId: number) {
    return this.rec({ op: 'key.export', client: this.clientId, session: this.process, keyId }, async () => {
      const r = await this.client.keyExport(keyId);
      return out(r.rc, Array.from(r.data));
    });
  }
  private keyRc(op: 'key.evict' | 'key.commit' | 'key.erase' | 'key.revoke', keyId: number, call: (id: number) => Promise<number>) {
    return this.rec({ op, client: this.clientId, session: this.process, keyId }, async () => out(await call(keyId)));
  }
  keyEvict(keyId: number) {
    return this.keyRc('key.evict', keyId, (k) => this.client.keyEvict(k));
  }
  keyCommit(keyId: number) {
    return this.keyRc('key.commit', keyId, (k) => this.client.keyCommit(k));
  }
  keyErase(keyId: number) {
    return this.keyRc('key.erase', keyId, (k) => this.client.keyErase(k));
  }
  keyRevoke(keyId: number) {
    return this.keyRc('key.revoke', keyId, (k) => this.client.keyRevoke(k));
  }
}

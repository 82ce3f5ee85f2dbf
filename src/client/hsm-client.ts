import { WhError, type WhRc } from '../errors.js';
import { EMPTY_METADATA, NVM_METADATA_SIZE, decodeMetadata, encodeMetadata, type NvmMetadata } from '../nvm/metadata.js';
import { StructReader, StructWriter } from '../protocol/bytes.js';
import { CommAction, CounterAction, Group, KeyAction, NvmAction, kind } from '../protocol/groups.js';
import { decodePacket, encodePacket, requestHeader } from '../protocol/header.js';
import type { ClientTransport } from '../ports/transport/transport.js';
import type { ServerConfig } from '../server/server-config.js';

/** The server answered something a wolfHSM client would reject (wrong kind/seq, too short): -2002 in C. */
export class ProtocolError extends Error {
  readonly rc = WhError.ABORTED;
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** COMM INFO: the server's configuration as a client sees it, plus its version strings. */
export interface CommInfo extends Omit<ServerConfig, 'serverId' | 'keyFeatures'> {
  readonly version: string;
  readonly build: string;
}

/** A label as sent: at most 24 bytes. */
const labelBytes = (label: string | Uint8Array | undefined): Uint8Array =>
  (typeof label === 'string' ? new TextEncoder().encode(label) : (label ?? new Uint8Array(0))).subarray(0, 24);

const cstr = (b: Uint8Array): string => {
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
};

/**
 * A wolfHSM client speaking the same packets as the C client (little-endian),
 * one request at a time, with typed results and wolfHSM result codes.
 */
export class HsmClient {
  private seq = 0;

  constructor(readonly transport: ClientTransport) {}

  /** Sends one request and returns the response payload, checked like the C client does. */
  async request(k: number, payload: Uint8Array = new Uint8Array(0)): Promise<StructReader> {
    this.seq = (this.seq + 1) & 0xffff;
    const seq = this.seq;
    const bytes = await this.transport.request(encodePacket(requestHeader(k, seq), payload));
    const p = decodePacket(bytes);
    if (!p) throw new ProtocolError('response shorter than a header');
    if (p.header.seq !== seq) throw new ProtocolError(`response seq ${p.header.seq}, expected ${seq}`);
    if (p.header.kind !== k) throw new ProtocolError(`response kind 0x${p.header.kind.toString(16)}, expected 0x${k.toString(16)}`);
    return new StructReader(p.payload, p.header.littleEndian);
  }

  private need(r: StructReader, min: number, what: string): StructReader {
    if (r.length < min) throw new ProtocolError(`${what}: response of ${r.length} bytes, expected at least ${min}`);
    return r;
  }

  // COMM

  async commInit(clientId: number): Promise<{ clientId: number; serverId: number }> {
    const r = await this.request(kind(Group.COMM, CommAction.INIT), new StructWriter(4, true).u32(0, clientId).bytes);
    this.need(r, 8, 'COMM INIT');
    return { clientId: r.u32(0), serverId: r.u32(4) };
  }

  async commInfo(): Promise<CommInfo> {
    const r = this.need(await this.request(kind(Group.COMM, CommAction.INFO)), 72, 'COMM INFO');
    return {
      dataLen: r.u32(0),
      nvmObjectCount: r.u32(4),
      keyCacheCount: r.u32(8),
      keyCacheBufSize: r.u32(12),
      keyCacheBigCount: r.u32(16),
      keyCacheBigBufSize: r.u32(20),
      customCbCount: r.u32(24),
      dmaAddrCount: r.u32(28),
      version: cstr(r.slice(48, 9)),
      build: cstr(r.slice(57, 9)),
    };
  }

  async echo(data: Uint8Array): Promise<Uint8Array> {
    return (await this.request(kind(Group.COMM, CommAction.ECHO), data)).bytes.slice();
  }

  async close(): Promise<void> {
    await this.request(kind(Group.COMM, CommAction.CLOSE));
    this.transport.close();
  }

  // NVM

  async nvmGetAvailable(): Promise<{ rc: WhRc; availSize: number; reclaimSize: number; availObjects: number; reclaimObjects: number }> {
    const r = this.need(await this.request(kind(Group.NVM, NvmAction.GETAVAILABLE)), 16, 'NVM GETAVAILABLE');
    return { rc: r.i32(0) as WhRc, availSize: r.u32(4), reclaimSize: r.u32(8), availObjects: r.u16(12), reclaimObjects: r.u16(14) };
  }

  async nvmAddObject(meta: NvmMetadata, data: Uint8Array): Promise<WhRc> {
    const w = new StructWriter(NVM_METADATA_SIZE + data.length, true);
    encodeMetadata({ ...meta, len: data.length }, w.bytes, 0, true);
    w.set(NVM_METADATA_SIZE, data);
    return this.need(await this.request(kind(Group.NVM, NvmAction.ADDOBJECT), w.bytes), 4, 'NVM ADDOBJECT').i32(0) as WhRc;
  }

  async nvmList(access: number, flags: number, startId: number): Promise<{ rc: WhRc; count: number; id: number }> {
    const req = new StructWriter(6, true).u16(0, access).u16(2, flags).u16(4, startId).bytes;
    const r = this.need(await this.request(kind(Group.NVM, NvmAction.LIST), req), 8, 'NVM LIST');
    return { rc: r.i32(0) as WhRc, count: r.u16(4), id: r.u16(6) };
  }

  async nvmGetMetadata(id: number): Promise<{ rc: WhRc; meta: NvmMetadata }> {
    const r = this.need(await this.request(kind(Group.NVM, NvmAction.GETMETADATA), new StructWriter(2, true).u16(0, id).bytes), 36, 'NVM GETMETADATA');
    const rc = r.i32(0) as WhRc;
    return { rc, meta: rc === 0 ? decodeMetadata(r.bytes, 4, true) : EMPTY_METADATA };
  }

  async nvmDestroyObjects(ids: readonly number[]): Promise<WhRc> {
    const w = new StructWriter(40, true).u16(0, ids.length);
    ids.slice(0, 19).forEach((id, i) => w.u16(2 + 2 * i, id));
    return this.need(await this.request(kind(Group.NVM, NvmAction.DESTROYOBJECTS), w.bytes), 4, 'NVM DESTROYOBJECTS').i32(0) as WhRc;
  }

  async nvmRead(id: number, offset: number, len: number): Promise<{ rc: WhRc; data: Uint8Array }> {
    const req = new StructWriter(6, true).u16(0, id).u16(2, offset).u16(4, len).bytes;
    const r = this.need(await this.request(kind(Group.NVM, NvmAction.READ), req), 4, 'NVM READ');
    return { rc: r.i32(0) as WhRc, data: r.bytes.slice(4) };
  }

  /** ADDOBJECTDMA: metadata (32 bytes) and data are read by the server from this client's memory. */
  async nvmAddObjectDma(metaAddr: bigint, dataAddr: bigint, dataLen: number): Promise<WhRc> {
    const req = new StructWriter(24, true).u64(0, metaAddr).u64(8, dataAddr).u16(16, dataLen).bytes;
    return this.need(await this.request(kind(Group.NVM, NvmAction.ADDOBJECTDMA), req), 4, 'NVM ADDOBJECTDMA').i32(0) as WhRc;
  }

  /** READDMA: the server writes the bytes into this client's memory at `addr`. */
  async nvmReadDma(id: number, offset: number, len: number, addr: bigint): Promise<WhRc> {
    const req = new StructWriter(16, true).u64(0, addr).u16(8, id).u16(10, offset).u16(12, len).bytes;
    return this.need(await this.request(kind(Group.NVM, NvmAction.READDMA), req), 4, 'NVM READDMA').i32(0) as WhRc;
  }

  // KEY (client key ids: number 1..255 plus the GLOBAL 0x100 / WRAPPED 0x200 / HW 0x400 flags; 0 = "pick one")

  /** CACHE: returns the key id the server used (in client form). */
  async keyCache(keyId: number, data: Uint8Array, opts: { flags?: number; label?: string | Uint8Array } = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const w = new StructWriter(40 + data.length, true).u32(0, opts.flags ?? 0).u32(4, data.length).u32(8, label.length).u16(12, keyId);
    w.set(16, label).set(40, data);
    const r = this.need(await this.request(kind(Group.KEY, KeyAction.CACHE), w.bytes), 12, 'KEY CACHE');
    return { rc: r.i32(0) as WhRc, keyId: r.u16(4) };
  }

  /** CACHE_RANDOM: a key of `size` random bytes from the server RNG. */
  async keyCacheRandom(keyId: number, size: number, opts: { flags?: number; label?: string | Uint8Array } = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const w = new StructWriter(40, true).u32(0, opts.flags ?? 0).u32(4, label.length).u16(8, size).u16(10, keyId).set(16, label);
    const r = this.need(await this.request(kind(Group.KEY, KeyAction.CACHE_RANDOM), w.bytes), 12, 'KEY CACHE_RANDOM');
    return { rc: r.i32(0) as WhRc, keyId: r.u16(4) };
  }

  async keyExport(keyId: number): Promise<{ rc: WhRc; label: Uint8Array; data: Uint8Array }> {
    const r = this.need(await this.request(kind(Group.KEY, KeyAction.EXPORT), new StructWriter(8, true).u16(0, keyId).bytes), 36, 'KEY EXPORT');
    const len = r.u32(4);
    if (len > r.length - 36) throw new ProtocolError(`KEY EXPORT: len ${len} beyond the response`);
    return { rc: r.i32(0) as WhRc, label: r.slice(8, 24), data: r.slice(36, len) };
  }

  private async keyRc(action: number, keyId: number, min: number, what: string): Promise<WhRc> {
    return this.need(await this.request(kind(Group.KEY, action), new StructWriter(8, true).u16(0, keyId).bytes), min, what).i32(0) as WhRc;
  }
  keyEvict(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.EVICT, keyId, 12, 'KEY EVICT');
  }
  keyCommit(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.COMMIT, keyId, 12, 'KEY COMMIT');
  }
  keyErase(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.ERASE, keyId, 12, 'KEY ERASE');
  }
  keyRevoke(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.REVOKE, keyId, 8, 'KEY REVOKE');
  }

  /** CACHE_DMA: the server pulls `size` key bytes from this client's memory at `addr`. */
  async keyCacheDma(keyId: number, addr: bigint, size: number, opts: { flags?: number; label?: string | Uint8Array } = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const w = new StructWriter(56, true).u64(0, addr).u64(8, BigInt(size)).u32(16, opts.flags ?? 0).u32(20, label.length).u16(24, keyId).set(26, label);
    const r = this.need(await this.request(kind(Group.KEY, KeyAction.CACHE_DMA), w.bytes), 24, 'KEY CACHE_DMA');
    return { rc: r.i32(16) as WhRc, keyId: r.u16(20) };
  }

  /** EXPORT_DMA: the server pushes the key into this client's memory at `addr` (capacity `size`). */
  async keyExportDma(keyId: number, addr: bigint, size: number): Promise<{ rc: WhRc; len: number; label: Uint8Array }> {
    const w = new StructWriter(24, true).u64(0, addr).u64(8, BigInt(size)).u16(16, keyId);
    const r = this.need(await this.request(kind(Group.KEY, KeyAction.EXPORT_DMA), w.bytes), 48, 'KEY EXPORT_DMA');
    return { rc: r.i32(16) as WhRc, len: r.u32(20), label: r.slice(24, 24) };
  }

  // COUNTER

  private async counter(action: number, req: Uint8Array): Promise<{ rc: WhRc; value: number }> {
    const r = this.need(await this.request(kind(Group.COUNTER, action), req), 8, 'COUNTER');
    return { rc: r.i32(0) as WhRc, value: r.u32(4) };
  }

  counterInit(counterId: number, value: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.INIT, new StructWriter(8, true).u32(0, value).u16(4, counterId).bytes);
  }
  counterIncrement(counterId: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.INCREMENT, new StructWriter(8, true).u16(0, counterId).bytes);
  }
  counterRead(counterId: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.READ, new StructWriter(8, true).u16(0, counterId).bytes);
  }
  async counterDestroy(counterId: number): Promise<WhRc> {
    return (await this.counter(CounterAction.DESTROY, new StructWriter(8, true).u16(0, counterId).bytes)).rc;
  }
}

import { WhError, type WhRc } from '../errors.js';
import { EMPTY_METADATA, type NvmMetadata } from '../nvm/metadata.js';
import { StructReader } from '../protocol/bytes.js';
import type { StructCodec } from '../protocol/struct.js';
import {
  CommInfoResponse,
  CommInitRequest,
  CommInitResponse,
  CounterIdRequest,
  CounterInitRequest,
  CounterValueResponse,
  CUSTOM_DATA_SIZE,
  CUSTOM_QUERY,
  CustomCbRequest,
  CustomCbResponse,
  CustomCbType,
  customBodyType,
  decodeCustomBody,
  writeCustomBody,
  type CustomCbBody,
  KeyCacheDmaRequest,
  KeyCacheDmaResponse,
  KeyCacheRandomRequest,
  KeyCacheRequest,
  KeyExportDmaRequest,
  KeyExportDmaResponse,
  KeyExportResponse,
  KeyExportPublicRequest,
  KeyIdRequest,
  KeyIdResponse,
  KeyOkResponse,
  KeyRevokeResponse,
  NvmAddObjectDmaRequest,
  NvmAddObjectRequest,
  NvmDestroyObjectsRequest,
  NvmGetAvailableResponse,
  NvmGetMetadataRequest,
  NvmGetMetadataResponse,
  NvmListRequest,
  NvmListResponse,
  NvmRc,
  NvmReadDmaRequest,
  NvmReadRequest,
  NvmReadResponse,
  destroyIdBytes,
} from '../protocol/messages/index.js';
import { CommAction, CounterAction, Group, KeyAction, NvmAction, kind } from '../protocol/groups.js';
import { decodePacket, encodePacket, requestHeader } from '../protocol/header.js';
import type { ClientTransport } from '../ports/transport/transport.js';
import type { ServerConfig } from '../server/server-config.js';
import { connectTcp, type TcpClientOptions } from '../ports/transport/tcp-transport.js';
import { HsmCertClient } from './hsm-cert.js';
import { HsmCryptoClient } from './hsm-crypto.js';
import { HsmSheClient } from './hsm-she.js';

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

export interface KeyOptions {
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

/** The 24-byte label field, zero padded. */
const padLabel = (label: Uint8Array): Uint8Array => {
  const out = new Uint8Array(24);
  out.set(label);
  return out;
};

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
  #crypto: HsmCryptoClient | null = null;
  #cert: HsmCertClient | null = null;
  #she: HsmSheClient | null = null;

  constructor(readonly transport: ClientTransport) {}

  /**
   * Connects to a server over wolfHSM's TCP framing and does COMM INIT with `clientId`
   * (default 1). Fails with a TransportTimeoutError when nothing answers within
   * `connectTimeoutMs` (default 5 s); with `requestTimeoutMs`, a request that takes
   * longer fails and closes the connection; a server that goes away fails the pending
   * request with a TransportClosedError that names it.
   */
  static async connect(opts: TcpClientOptions & { readonly clientId?: number } = {}): Promise<HsmClient> {
    const client = new HsmClient(await connectTcp(opts));
    try {
      await client.commInit(opts.clientId ?? 1);
    } catch (e) {
      client.transport.close();
      throw e;
    }
    return client;
  }

  /** The CRYPTO calls (AES, CMAC, SHA-2/SHA-3, HKDF, CMAC-KDF, RNG) and the KEY wrap actions. */
  get crypto(): HsmCryptoClient {
    return (this.#crypto ??= new HsmCryptoClient(this));
  }

  /** The CERT calls: trusted roots in NVM, chain verification. */
  get cert(): HsmCertClient {
    return (this.#cert ??= new HsmCertClient(this));
  }

  /** The SHE calls: AUTOSAR SHE key update, secure boot, cipher and MAC. */
  get she(): HsmSheClient {
    return (this.#she ??= new HsmSheClient(this));
  }

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

  /** One typed exchange: encode with the request codec, decode with the response codec (the C client's size rule). */
  private async call<Q, R>(k: number, req: StructCodec<Q> | null, value: Q, res: StructCodec<R>): Promise<R> {
    const r = await this.request(k, req ? req.encode(value, true) : new Uint8Array(0));
    const out = res.decode(r.bytes, r.littleEndian);
    if (!out) throw new ProtocolError(`${res.name}: ${r.length} bytes, expected at least ${res.size}`);
    return out;
  }

  // COMM

  commInit(clientId: number): Promise<{ clientId: number; serverId: number }> {
    return this.call(kind(Group.COMM, CommAction.INIT), CommInitRequest, { clientId }, CommInitResponse);
  }

  async commInfo(): Promise<CommInfo> {
    const { debugState: _d, bootState: _b, lifecycleState: _l, nvmState: _n, version, build, ...config } = await this.call(
      kind(Group.COMM, CommAction.INFO),
      null,
      null,
      CommInfoResponse,
    );
    return { ...config, version: cstr(version), build: cstr(build) };
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
    const r = await this.call(kind(Group.NVM, NvmAction.GETAVAILABLE), null, null, NvmGetAvailableResponse);
    return { ...r, rc: r.rc as WhRc };
  }

  async nvmAddObject(meta: NvmMetadata, data: Uint8Array): Promise<WhRc> {
    const req = { id: meta.id, access: meta.access, flags: meta.flags, len: data.length, label: meta.label, data };
    return (await this.call(kind(Group.NVM, NvmAction.ADDOBJECT), NvmAddObjectRequest, req, NvmRc)).rc as WhRc;
  }

  async nvmList(access: number, flags: number, startId: number): Promise<{ rc: WhRc; count: number; id: number }> {
    const r = await this.call(kind(Group.NVM, NvmAction.LIST), NvmListRequest, { access, flags, startId }, NvmListResponse);
    return { ...r, rc: r.rc as WhRc };
  }

  async nvmGetMetadata(id: number): Promise<{ rc: WhRc; meta: NvmMetadata }> {
    const { rc, ...meta } = await this.call(kind(Group.NVM, NvmAction.GETMETADATA), NvmGetMetadataRequest, { id }, NvmGetMetadataResponse);
    return { rc: rc as WhRc, meta: rc === 0 ? meta : EMPTY_METADATA };
  }

  async nvmDestroyObjects(ids: readonly number[]): Promise<WhRc> {
    const req = { count: ids.length, ids: destroyIdBytes(ids, true) };
    return (await this.call(kind(Group.NVM, NvmAction.DESTROYOBJECTS), NvmDestroyObjectsRequest, req, NvmRc)).rc as WhRc;
  }

  async nvmRead(id: number, offset: number, len: number): Promise<{ rc: WhRc; data: Uint8Array }> {
    const r = await this.call(kind(Group.NVM, NvmAction.READ), NvmReadRequest, { id, offset, dataLen: len }, NvmReadResponse);
    return { rc: r.rc as WhRc, data: r.data };
  }

  /** ADDOBJECTDMA: metadata (32 bytes) and data are read by the server from this client's memory. */
  async nvmAddObjectDma(metaAddr: bigint, dataAddr: bigint, dataLen: number): Promise<WhRc> {
    const req = { metadataAddr: metaAddr, dataAddr, dataLen };
    return (await this.call(kind(Group.NVM, NvmAction.ADDOBJECTDMA), NvmAddObjectDmaRequest, req, NvmRc)).rc as WhRc;
  }

  /** READDMA: the server writes the bytes into this client's memory at `addr`. */
  async nvmReadDma(id: number, offset: number, len: number, addr: bigint): Promise<WhRc> {
    const req = { dataAddr: addr, id, offset, dataLen: len };
    return (await this.call(kind(Group.NVM, NvmAction.READDMA), NvmReadDmaRequest, req, NvmRc)).rc as WhRc;
  }

  // KEY (client key ids: number 1..255 plus the GLOBAL 0x100 / WRAPPED 0x200 / HW 0x400 flags; 0 = "pick one")

  /** CACHE: returns the key id the server used (in client form). */
  async keyCache(keyId: number, data: Uint8Array, opts: KeyOptions = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const req = { flags: opts.flags ?? 0, sz: data.length, labelLen: label.length, id: keyId, label: padLabel(label), data };
    const r = await this.call(kind(Group.KEY, KeyAction.CACHE), KeyCacheRequest, req, KeyIdResponse);
    return { rc: r.rc as WhRc, keyId: r.id };
  }

  /** CACHE_RANDOM: a key of `size` random bytes from the server RNG. */
  async keyCacheRandom(keyId: number, size: number, opts: KeyOptions = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const req = { flags: opts.flags ?? 0, labelLen: label.length, sz: size, id: keyId, label: padLabel(label) };
    const r = await this.call(kind(Group.KEY, KeyAction.CACHE_RANDOM), KeyCacheRandomRequest, req, KeyIdResponse);
    return { rc: r.rc as WhRc, keyId: r.id };
  }

  async keyExport(keyId: number): Promise<{ rc: WhRc; label: Uint8Array; data: Uint8Array }> {
    const r = await this.call(kind(Group.KEY, KeyAction.EXPORT), KeyIdRequest, { id: keyId }, KeyExportResponse);
    if (r.len > r.data.length) throw new ProtocolError(`KEY EXPORT: len ${r.len} beyond the response`);
    return { rc: r.rc as WhRc, label: r.label, data: r.data.subarray(0, r.len) };
  }

  /**
   * EXPORT_PUBLIC: the public part of a stored key in wolfCrypt's form (SPKI DER; raw for
   * ML-KEM), `algo` one of `WhKeyAlgo`. A non-exportable private key still exports this.
   */
  async keyExportPublic(keyId: number, algo: number): Promise<{ rc: WhRc; label: Uint8Array; publicKey: Uint8Array }> {
    const r = await this.call(kind(Group.KEY, KeyAction.EXPORT_PUBLIC), KeyExportPublicRequest, { id: keyId, algo }, KeyExportResponse);
    if (r.len > r.data.length) throw new ProtocolError(`KEY EXPORT_PUBLIC: len ${r.len} beyond the response`);
    return { rc: r.rc as WhRc, label: r.label, publicKey: r.data.subarray(0, r.len) };
  }

  keyEvict(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.EVICT, keyId, KeyOkResponse);
  }
  keyCommit(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.COMMIT, keyId, KeyOkResponse);
  }
  keyErase(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.ERASE, keyId, KeyOkResponse);
  }
  keyRevoke(keyId: number): Promise<WhRc> {
    return this.keyRc(KeyAction.REVOKE, keyId, KeyRevokeResponse);
  }
  private async keyRc(action: number, keyId: number, res: StructCodec<{ rc: number }>): Promise<WhRc> {
    return (await this.call(kind(Group.KEY, action), KeyIdRequest, { id: keyId }, res)).rc as WhRc;
  }

  /** CACHE_DMA: the server pulls `size` key bytes from this client's memory at `addr`. */
  async keyCacheDma(keyId: number, addr: bigint, size: number, opts: KeyOptions = {}): Promise<{ rc: WhRc; keyId: number }> {
    const label = labelBytes(opts.label);
    const req = { keyAddr: addr, keySize: BigInt(size), flags: opts.flags ?? 0, labelLen: label.length, id: keyId, label: padLabel(label) };
    const r = await this.call(kind(Group.KEY, KeyAction.CACHE_DMA), KeyCacheDmaRequest, req, KeyCacheDmaResponse);
    return { rc: r.rc as WhRc, keyId: r.id };
  }

  /** EXPORT_DMA: the server pushes the key into this client's memory at `addr` (capacity `size`). */
  async keyExportDma(keyId: number, addr: bigint, size: number): Promise<{ rc: WhRc; len: number; label: Uint8Array }> {
    const r = await this.call(kind(Group.KEY, KeyAction.EXPORT_DMA), KeyExportDmaRequest, { keyAddr: addr, keySize: BigInt(size), id: keyId }, KeyExportDmaResponse);
    return { rc: r.rc as WhRc, len: r.len, label: r.label };
  }

  // COUNTER

  private async counter(action: number, counterId: number, value = 0): Promise<{ rc: WhRc; value: number }> {
    const r =
      action === CounterAction.INIT
        ? await this.call(kind(Group.COUNTER, action), CounterInitRequest, { value, counterId }, CounterValueResponse)
        : await this.call(kind(Group.COUNTER, action), CounterIdRequest, { counterId }, CounterValueResponse);
    return { rc: r.rc as WhRc, value: r.value };
  }

  counterInit(counterId: number, value: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.INIT, counterId, value);
  }
  counterIncrement(counterId: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.INCREMENT, counterId);
  }
  counterRead(counterId: number): Promise<{ rc: WhRc; value: number }> {
    return this.counter(CounterAction.READ, counterId);
  }
  async counterDestroy(counterId: number): Promise<WhRc> {
    return (await this.counter(CounterAction.DESTROY, counterId)).rc;
  }

  // CUSTOM (the slot is the kind's action byte; the C client sends the id as the slot)

  /** wh_Client_CustomCbCheckRegistered: OK if slot `index` has a callback, NOHANDLER if not. */
  async customCbCheckRegistered(index: number): Promise<WhRc> {
    const r = await this.customCb(index, { body: CUSTOM_QUERY });
    if (r.body.kind !== 'none' || r.body.type !== CustomCbType.QUERY) throw new ProtocolError(`CUSTOM query answered type ${customBodyType(r.body)}`);
    if (r.err !== WhError.OK && r.err !== WhError.NOHANDLER) throw new ProtocolError(`CUSTOM query answered err ${r.err}`);
    return r.err;
  }

  /** wh_Client_CustomCbRequest/Response: runs callback `index`; `id` (default: the slot) comes back in the response. */
  async customCb(index: number, request: { id?: number; body: CustomCbBody }): Promise<{ id: number; rc: number; err: WhRc; body: CustomCbBody }> {
    if (!Number.isInteger(index) || index < 0 || index > 0xff) throw new RangeError(`custom callback slot ${index} is not a byte`);
    const data = new Uint8Array(CUSTOM_DATA_SIZE);
    writeCustomBody(request.body, data, true);
    const req = CustomCbRequest.encode({ id: request.id ?? index, type: customBodyType(request.body), data }, true);
    const r = await this.request(kind(Group.CUSTOM, index), req);
    // The C client takes exactly 272 bytes; an echoed 264-byte request is refused (-2002).
    const res = r.length === CustomCbResponse.size ? CustomCbResponse.decode(r.bytes, r.littleEndian) : null;
    if (!res) throw new ProtocolError(`${CustomCbResponse.name}: ${r.length} bytes, expected ${CustomCbResponse.size}`);
    return { id: res.id, rc: res.rc, err: res.err as WhRc, body: decodeCustomBody(res.type, res.data, r.littleEndian) };
  }
}

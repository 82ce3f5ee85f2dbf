import { WhError, type WhRc } from '../errors.js';
import { CertFlags } from '../cert/cert-codes.js';
import { NVM_ACCESS_ANY, toLabel } from '../nvm/metadata.js';
import { Group, kind } from '../protocol/groups.js';
import {
  CertAction,
  CertAddTrustedDmaRequest,
  CertAddTrustedRequest,
  CertIdRequest,
  CertReadTrustedDmaRequest,
  CertReadTrustedResponse,
  CertSetEnabledRequest,
  CertSimpleResponse,
  CertVerifyAcertRequest,
  CertVerifyDmaRequest,
  CertVerifyMultiRootDmaRequest,
  CertVerifyMultiRootRequest,
  CertVerifyRequest,
  CertVerifyResponse,
} from '../protocol/messages/cert.js';
import type { HsmClient } from './hsm-client.js';

/** How a trusted certificate is stored (NVM metadata; TRUSTED is stripped by the server). */
export interface TrustedCertOptions {
  readonly access?: number;
  readonly flags?: number;
  /** Up to 24 bytes; wolfHSM sends all 24. */
  readonly label?: string | Uint8Array;
}

/** Verification options: with `cacheLeafKey`, the leaf's public key is cached as a key the client can use. */
export interface VerifyOptions {
  readonly cacheLeafKey?: {
    /** Client-form key id; 0 (default) lets the server pick one. */
    readonly keyId?: number;
    /** The cached key's NVM flags (usage bits, e.g. NvmFlags.USAGE_VERIFY). */
    readonly flags?: number;
  };
}

/** A verification's answer: wolfHSM's code and the leaf key's client-form id (the request's id when none was cached). */
export interface VerifyResult {
  readonly rc: number;
  readonly keyId: number;
}

const kc = (action: number) => kind(Group.CERT, action);

function verifyFields(o: VerifyOptions): { flags: number; cachedKeyFlags: number; keyId: number } {
  const leaf = o.cacheLeafKey;
  return { flags: leaf ? CertFlags.CACHE_LEAF_PUBKEY : CertFlags.NONE, cachedKeyFlags: leaf?.flags ?? 0, keyId: leaf?.keyId ?? 0 };
}

function rootIdBytes(ids: readonly number[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  ids.forEach((id, i) => view.setUint16(2 * i, id, true));
  return out;
}

/**
 * The CERT group calls of an HsmClient (`client.cert`): trusted roots kept as NVM
 * objects, chain and attribute-certificate verification. Results carry wolfHSM codes
 * (or, for VERIFY_ACERT, a wolfCrypt ASN code); a response of the wrong size is
 * ABORTED, as the C client answers it.
 */
export class HsmCertClient {
  constructor(protected readonly client: HsmClient) {}

  /** Sends one request and reads a response that must be exactly 8 bytes. */
  private async exact8<R extends { rc: number }>(action: number, payload: Uint8Array, codec: { size: number; decode(b: Uint8Array, le: boolean): R | null }): Promise<R | { rc: WhRc }> {
    const r = await this.client.request(kc(action), payload);
    if (r.length !== codec.size) return { rc: WhError.ABORTED };
    return codec.decode(r.bytes, r.littleEndian)!;
  }

  private async simple(action: number, payload: Uint8Array = new Uint8Array(0)): Promise<number> {
    return (await this.exact8(action, payload, CertSimpleResponse)).rc;
  }

  private async verifyCall(action: number, payload: Uint8Array): Promise<VerifyResult> {
    const r = await this.exact8(action, payload, CertVerifyResponse);
    return { rc: r.rc, keyId: 'keyId' in r ? r.keyId : 0 };
  }

  /** INIT: resets this client's verify cache. */
  init(): Promise<number> {
    return this.simple(CertAction.INIT);
  }

  /** ADDTRUSTED: stores `cert` (any bytes; DER expected) as NVM object `id`. */
  addTrusted(id: number, cert: Uint8Array, o: TrustedCertOptions = {}): Promise<number> {
    const req = { certLen: cert.length, id, access: o.access ?? NVM_ACCESS_ANY, flags: o.flags ?? 0, label: toLabel(o.label), data: cert };
    return this.simple(CertAction.ADDTRUSTED, CertAddTrustedRequest.encode(req, true));
  }

  eraseTrusted(id: number): Promise<number> {
    return this.simple(CertAction.ERASETRUSTED, CertIdRequest.encode({ id }, true));
  }

  /** READTRUSTED: the stored certificate; on BUFFER_SIZE `len` is its size and `cert` is empty. */
  async readTrusted(id: number): Promise<{ rc: number; len: number; cert: Uint8Array }> {
    const r = await this.client.request(kc(CertAction.READTRUSTED), CertIdRequest.encode({ id }, true));
    const v = CertReadTrustedResponse.decode(r.bytes, r.littleEndian);
    if (!v) return { rc: WhError.ABORTED, len: 0, cert: new Uint8Array(0) };
    if (v.rc !== WhError.OK) return { rc: v.rc, len: v.certLen, cert: new Uint8Array(0) };
    if (v.certLen > v.data.length) return { rc: WhError.ABORTED, len: v.certLen, cert: new Uint8Array(0) };
    return { rc: 0, len: v.certLen, cert: v.data.subarray(0, v.certLen) };
  }

  /** VERIFY: `chain` is the DER certificates from the one the root issued down to the leaf, root excluded. */
  verify(chain: Uint8Array, rootId: number, o: VerifyOptions = {}): Promise<VerifyResult> {
    const req = { certLen: chain.length, rootId, ...verifyFields(o), data: chain };
    return this.verifyCall(CertAction.VERIFY, CertVerifyRequest.encode(req, true));
  }

  /** VERIFY_MULTI_ROOT: as verify, trusting any of up to eight roots (absent ones are skipped). */
  verifyMultiRoot(chain: Uint8Array, rootIds: readonly number[], o: VerifyOptions = {}): Promise<VerifyResult> {
    const ids = rootIdBytes(rootIds, 2 * rootIds.length);
    const data = new Uint8Array(ids.length + chain.length);
    data.set(ids);
    data.set(chain, ids.length);
    const req = { certLen: chain.length, numRoots: rootIds.length, ...verifyFields(o), data };
    return this.verifyCall(CertAction.VERIFY_MULTI_ROOT, CertVerifyMultiRootRequest.encode(req, true));
  }

  /** VERIFY_CACHE_CLEAR: forgets this client's verified CAs. */
  verifyCacheClear(): Promise<number> {
    return this.simple(CertAction.VERIFY_CACHE_CLEAR);
  }

  /** VERIFY_CACHE_SET_ENABLED: disabling also clears. */
  verifyCacheSetEnabled(enable: boolean): Promise<number> {
    return this.simple(CertAction.VERIFY_CACHE_SET_ENABLED, CertSetEnabledRequest.encode({ enable: enable ? 1 : 0 }, true));
  }

  /** VERIFY_ACERT: the attribute certificate's signature against the root's key (CERT_VERIFY if it does not verify). */
  verifyAcert(acert: Uint8Array, rootId: number): Promise<number> {
    return this.simple(CertAction.VERIFY_ACERT, CertVerifyAcertRequest.encode({ certLen: acert.length, rootId, data: acert }, true));
  }

  // DMA variants: the certificate bytes stay in this client's memory (in-process transports only).

  addTrustedDma(id: number, addr: bigint, len: number, o: TrustedCertOptions = {}): Promise<number> {
    const req = { certAddr: addr, certLen: len, id, access: o.access ?? NVM_ACCESS_ANY, flags: o.flags ?? 0, label: toLabel(o.label) };
    return this.simple(CertAction.ADDTRUSTED_DMA, CertAddTrustedDmaRequest.encode(req, true));
  }

  /** READTRUSTED_DMA: the certificate is written at `addr`, a buffer of `len` bytes. */
  readTrustedDma(id: number, addr: bigint, len: number): Promise<number> {
    return this.simple(CertAction.READTRUSTED_DMA, CertReadTrustedDmaRequest.encode({ certAddr: addr, certLen: len, id }, true));
  }

  verifyDma(addr: bigint, len: number, rootId: number, o: VerifyOptions = {}): Promise<VerifyResult> {
    return this.verifyCall(CertAction.VERIFY_DMA, CertVerifyDmaRequest.encode({ certAddr: addr, certLen: len, rootId, ...verifyFields(o) }, true));
  }

  verifyMultiRootDma(addr: bigint, len: number, rootIds: readonly number[], o: VerifyOptions = {}): Promise<VerifyResult> {
    const req = { certAddr: addr, certLen: len, numRoots: rootIds.length, ...verifyFields(o), rootIds: rootIdBytes(rootIds.slice(0, 8), 16) };
    return this.verifyCall(CertAction.VERIFY_MULTI_ROOT_DMA, CertVerifyMultiRootDmaRequest.encode(req, true));
  }

  verifyAcertDma(addr: bigint, len: number, rootId: number): Promise<number> {
    return this.simple(CertAction.VERIFY_ACERT_DMA, CertVerifyDmaRequest.encode({ certAddr: addr, certLen: len, rootId, flags: 0, cachedKeyFlags: 0, keyId: 0 }, true));
  }
}

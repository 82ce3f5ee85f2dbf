import { WhError } from '../../errors.js';
import { MlDsaKeyGenRequest, MlDsaKeyGenResponse, MlDsaOption, MlDsaSignRequest, MlDsaSignResponse, MlDsaVerifyRequest, MlDsaVerifyResponse } from '../../crypto/mldsa/messages.js';
import { MLDSA_FAMILY, MlDsaLevel } from '../../crypto/mldsa/params.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { StructReader } from '../../protocol/bytes.js';
import { Group, kind } from '../../protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../../protocol/messages/crypto-header.js';
import type { StructCodec } from '../../protocol/struct.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';
import type { CryptoResult } from './aes.js';

/** ML-DSA parameter sets by their usual names. */
export type MlDsaSet = 44 | 65 | 87;
const LEVEL: Readonly<Record<MlDsaSet, number>> = { 44: MlDsaLevel.ML_DSA_44, 65: MlDsaLevel.ML_DSA_65, 87: MlDsaLevel.ML_DSA_87 };

/**
 * The key of an operation: stored on the server (`keyId`, optionally evicted after
 * the operation), or a DER key held here, imported for the one operation and evicted
 * afterwards (the wolfHSM client's temporary import).
 */
export type MlDsaKeyRef = { readonly keyId: number; readonly evict?: boolean; readonly key?: undefined } | { readonly key: Uint8Array; readonly keyId?: undefined };

export interface MlDsaGenerateOptions {
  readonly level: MlDsaSet;
  /** Return the key (key-pair DER) instead of caching it. */
  readonly ephemeral?: boolean;
  /** Cached key id (0 or absent: the server picks one), usage flags and label. */
  readonly keyId?: number;
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

export interface MlDsaGenerated {
  /** The cached key's id (for an ephemeral key, the id field as the server sent it). */
  readonly keyId: number;
  /** SubjectPublicKeyInfo of a cached key (empty when it did not fit the response). */
  readonly publicKey: Uint8Array;
  /** The key-pair DER of an ephemeral key (empty for a cached one). */
  readonly privateKey: Uint8Array;
}

export interface MlDsaMessage {
  readonly message: Uint8Array;
  /** FIPS 204 context string (at most 255 bytes). */
  readonly context?: Uint8Array;
  /** HashML-DSA: the wolfCrypt hash type (`WcHash`) `message` is a digest of. Absent: pure ML-DSA. */
  readonly preHash?: number;
  /** The `level` field of the request (the server uses the key's level). */
  readonly level?: MlDsaSet;
}

const EMPTY = new Uint8Array(0);

/** ML-DSA calls of `client.crypto.mldsa` (wh_Client_MlDsa*). */
export class MldsaClient {
  constructor(
    protected readonly client: HsmClient,
    /** The PQC signature family number this server expects in algoSubType. */
    readonly family: number = MLDSA_FAMILY,
  ) {}

  /** A new key on the server: cached (answering its id and SPKI) or returned as DER (`ephemeral`). */
  async generate(o: MlDsaGenerateOptions): Promise<CryptoResult<MlDsaGenerated>> {
    const body = MlDsaKeyGenRequest.encode(
      { sz: 0, level: LEVEL[o.level], keyId: o.ephemeral ? 0 : (o.keyId ?? 0), flags: o.ephemeral ? NvmFlags.EPHEMERAL : (o.flags ?? 0) & ~NvmFlags.EPHEMERAL, access: 0, label: toLabel(o.label) },
      true,
    );
    const r = await this.exchange(WcPk.PQC_SIG_KEYGEN, body, MlDsaKeyGenResponse);
    if (!('value' in r)) return r;
    const der = tail('ML-DSA keygen', r.reader, MlDsaKeyGenResponse.size, r.value.len);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : der, privateKey: o.ephemeral ? der : EMPTY };
  }

  /** A hedged signature (pure ML-DSA with context, or HashML-DSA over a digest). */
  async sign(o: MlDsaKeyRef & MlDsaMessage): Promise<CryptoResult<{ signature: Uint8Array }>> {
    return this.withKey(o, NvmFlags.USAGE_SIGN, 'TempMlDsaSign', async (keyId, evict) => {
      const context = o.context ?? EMPTY;
      const fixed = { options: evict ? MlDsaOption.EVICT : 0, level: o.level ? LEVEL[o.level] : 0, keyId, sz: o.message.length, contextSz: context.length, preHashType: o.preHash ?? 0 };
      const r = await this.exchange(WcPk.PQC_SIG_SIGN, concat(MlDsaSignRequest.encode(fixed, true), o.message, context), MlDsaSignResponse);
      if (!('value' in r)) return r;
      return { rc: 0, signature: tail('ML-DSA sign', r.reader, MlDsaSignResponse.size, r.value.sz) };
    });
  }

  /** Checks a signature: `valid` false for a wrong one (rc 0), an rc for malformed input. */
  async verify(o: MlDsaKeyRef & MlDsaMessage & { readonly signature: Uint8Array }): Promise<CryptoResult<{ valid: boolean }>> {
    return this.withKey(o, NvmFlags.USAGE_VERIFY, 'TempMlDsaVerify', async (keyId, evict) => {
      const context = o.context ?? EMPTY;
      const fixed = {
        options: evict ? MlDsaOption.EVICT : 0,
        level: o.level ? LEVEL[o.level] : 0,
        keyId,
        sigSz: o.signature.length,
        hashSz: o.message.length,
        contextSz: context.length,
        preHashType: o.preHash ?? 0,
      };
      const r = await this.exchange(WcPk.PQC_SIG_VERIFY, concat(MlDsaVerifyRequest.encode(fixed, true), o.signature, o.message, context), MlDsaVerifyResponse);
      if (!('value' in r)) return r;
      return { rc: 0, valid: r.value.res === 1 };
    });
  }

  /** Runs `op` on a stored key, or on a key imported for it (usage `flags`, evicted by the operation). */
  private async withKey<T>(ref: MlDsaKeyRef, flags: number, label: string, op: (keyId: number, evict: boolean) => Promise<CryptoResult<T>>): Promise<CryptoResult<T>> {
    if (!ref.key) return op(ref.keyId, ref.evict ?? false);
    const cached = await this.client.keyCache(0, ref.key, { flags, label });
    if (cached.rc !== WhError.OK) return { rc: cached.rc };
    return op(cached.keyId, true);
  }

  /** One PK exchange, checked as the C client does: algoType echoed (else ABORTED), then rc, then the struct. */
  private async exchange<R>(pkType: number, body: Uint8Array, res: StructCodec<R>): Promise<CryptoResult<{ value: R; reader: StructReader }>> {
    body.set(CryptoRequestHeader.encode({ algoType: pkType, algoSubType: this.family, affinity: 0 }, true), 0);
    const reader = await this.client.request(kind(Group.CRYPTO, WcAlgo.PK), body);
    const h = CryptoResponseHeader.decode(reader.bytes, reader.littleEndian);
    if (!h) throw new ProtocolError(`CRYPTO response of ${reader.length} bytes`);
    if (h.algoType !== pkType) return { rc: WhError.ABORTED };
    if (h.rc !== 0) return { rc: h.rc };
    const value = res.decode(reader.bytes, reader.littleEndian);
    if (!value) throw new ProtocolError(`${res.name}: ${reader.length} bytes, expected at least ${res.size}`);
    return { rc: 0, value, reader };
  }
}

function tail(what: string, r: StructReader, at: number, len: number): Uint8Array {
  if (len > r.length - at) throw new ProtocolError(`${what}: length ${len} beyond the response`);
  return r.slice(at, len);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

import { MlDsaKeyGenRequest, MlDsaKeyGenResponse, MlDsaOption, MlDsaSignRequest, MlDsaSignResponse, MlDsaVerifyRequest, MlDsaVerifyResponse } from '../../crypto/mldsa/messages.js';
import { MLDSA_FAMILY, MlDsaLevel } from '../../crypto/mldsa/params.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail, withImportedKey } from './exchange.js';
import type { CryptoResult } from './exchange.js';

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
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_SIG_KEYGEN, body, MlDsaKeyGenResponse, this.family);
    if (!('value' in r)) return r;
    const der = responseTail('ML-DSA keygen', r.reader, MlDsaKeyGenResponse.size, r.value.len);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : der, privateKey: o.ephemeral ? der : EMPTY };
  }

  /** A hedged signature (pure ML-DSA with context, or HashML-DSA over a digest). */
  async sign(o: MlDsaKeyRef & MlDsaMessage): Promise<CryptoResult<{ signature: Uint8Array }>> {
    return withImportedKey(this.client, o, NvmFlags.USAGE_SIGN, 'TempMlDsaSign', async (keyId, evict) => {
      const context = o.context ?? EMPTY;
      const fixed = { options: evict ? MlDsaOption.EVICT : 0, level: o.level ? LEVEL[o.level] : 0, keyId, sz: o.message.length, contextSz: context.length, preHashType: o.preHash ?? 0 };
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_SIG_SIGN, concat(MlDsaSignRequest.encode(fixed, true), o.message, context), MlDsaSignResponse, this.family);
      if (!('value' in r)) return r;
      return { rc: 0, signature: responseTail('ML-DSA sign', r.reader, MlDsaSignResponse.size, r.value.sz) };
    });
  }

  /** Checks a signature: `valid` false for a wrong one (rc 0), an rc for malformed input. */
  async verify(o: MlDsaKeyRef & MlDsaMessage & { readonly signature: Uint8Array }): Promise<CryptoResult<{ valid: boolean }>> {
    return withImportedKey(this.client, o, NvmFlags.USAGE_VERIFY, 'TempMlDsaVerify', async (keyId, evict) => {
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
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_SIG_VERIFY, concat(MlDsaVerifyRequest.encode(fixed, true), o.signature, o.message, context), MlDsaVerifyResponse, this.family);
      if (!('value' in r)) return r;
      return { rc: 0, valid: r.value.res === 1 };
    });
  }




}


function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

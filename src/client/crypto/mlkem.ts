import { WhError } from '../../errors.js';
import { MlKemDecapsRequest, MlKemDecapsResponse, MlKemEncapsRequest, MlKemEncapsResponse, MlKemKeyGenRequest, MlKemKeyGenResponse, MlKemOption } from '../../crypto/mlkem/messages.js';
import { MLKEM_FAMILY, MlKemLevel } from '../../crypto/mlkem/params.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { StructReader } from '../../protocol/bytes.js';
import { Group, kind } from '../../protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../../protocol/messages/crypto-header.js';
import type { StructCodec } from '../../protocol/struct.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';
import type { CryptoResult } from './aes.js';

/** ML-KEM parameter sets by their usual names. */
export type MlKemSet = 512 | 768 | 1024;
const LEVEL: Readonly<Record<MlKemSet, number>> = { 512: MlKemLevel.ML_KEM_512, 768: MlKemLevel.ML_KEM_768, 1024: MlKemLevel.ML_KEM_1024 };

/**
 * The key of an operation and its parameter set (the server refuses a key of another
 * set): stored on the server (`keyId`, optionally evicted afterwards), or raw key bytes
 * held here, imported for the one operation and evicted by it.
 */
export type MlKemKeyRef = { readonly level: MlKemSet } & (
  | { readonly keyId: number; readonly evict?: boolean; readonly key?: undefined }
  | { readonly key: Uint8Array; readonly keyId?: undefined }
);

export interface MlKemGenerateOptions {
  readonly level: MlKemSet;
  /** Return the decapsulation key instead of caching it. */
  readonly ephemeral?: boolean;
  readonly keyId?: number;
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

export interface MlKemGenerated {
  /** The cached key's id (for an ephemeral key, the id field as the server sent it). */
  readonly keyId: number;
  /** The raw encapsulation key of a cached key (empty when it did not fit the response). */
  readonly publicKey: Uint8Array;
  /** The raw decapsulation key of an ephemeral key (empty for a cached one). */
  readonly privateKey: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** ML-KEM calls of `client.crypto.mlkem` (wh_Client_MlKem*). */
export class MlkemClient {
  constructor(
    protected readonly client: HsmClient,
    /** The PQC KEM family number this server expects in algoSubType. */
    readonly family: number = MLKEM_FAMILY,
  ) {}

  /** A new key pair on the server: cached (answering its id and ek) or returned as dk (`ephemeral`). */
  async generate(o: MlKemGenerateOptions): Promise<CryptoResult<MlKemGenerated>> {
    const body = MlKemKeyGenRequest.encode(
      { level: LEVEL[o.level], keyId: o.ephemeral ? 0 : (o.keyId ?? 0), flags: o.ephemeral ? NvmFlags.EPHEMERAL : (o.flags ?? 0) & ~NvmFlags.EPHEMERAL, access: 0, label: toLabel(o.label) },
      true,
    );
    const r = await this.exchange(WcPk.PQC_KEM_KEYGEN, body, MlKemKeyGenResponse);
    if (!('value' in r)) return r;
    const key = tail('ML-KEM keygen', r.reader, MlKemKeyGenResponse.size, r.value.len);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : key, privateKey: o.ephemeral ? key : EMPTY };
  }

  /** A fresh shared secret and the ciphertext that carries it to the key's owner. */
  async encapsulate(o: MlKemKeyRef): Promise<CryptoResult<{ ciphertext: Uint8Array; sharedSecret: Uint8Array }>> {
    return this.withKey(o, 'TempMlKemEncaps', async (keyId, evict) => {
      const body = MlKemEncapsRequest.encode({ options: evict ? MlKemOption.EVICT : 0, level: LEVEL[o.level], keyId }, true);
      const r = await this.exchange(WcPk.PQC_KEM_ENCAPS, body, MlKemEncapsResponse);
      if (!('value' in r)) return r;
      const both = tail('ML-KEM encapsulate', r.reader, MlKemEncapsResponse.size, r.value.ctSz + r.value.ssSz);
      return { rc: 0, ciphertext: both.slice(0, r.value.ctSz), sharedSecret: both.slice(r.value.ctSz) };
    });
  }

  /** The shared secret a ciphertext carries (a forged ciphertext gives FIPS 203's implicit-rejection secret). */
  async decapsulate(o: MlKemKeyRef & { readonly ciphertext: Uint8Array }): Promise<CryptoResult<{ sharedSecret: Uint8Array }>> {
    return this.withKey(o, 'TempMlKemDecaps', async (keyId, evict) => {
      const fixed = MlKemDecapsRequest.encode({ options: evict ? MlKemOption.EVICT : 0, level: LEVEL[o.level], keyId, ctSz: o.ciphertext.length }, true);
      const body = new Uint8Array(fixed.length + o.ciphertext.length);
      body.set(fixed);
      body.set(o.ciphertext, fixed.length);
      const r = await this.exchange(WcPk.PQC_KEM_DECAPS, body, MlKemDecapsResponse);
      if (!('value' in r)) return r;
      return { rc: 0, sharedSecret: tail('ML-KEM decapsulate', r.reader, MlKemDecapsResponse.size, r.value.ssSz) };
    });
  }

  /** Runs `op` on a stored key, or on a key imported for it with DERIVE (evicted by the operation). */
  private async withKey<T>(ref: MlKemKeyRef, label: string, op: (keyId: number, evict: boolean) => Promise<CryptoResult<T>>): Promise<CryptoResult<T>> {
    if (!ref.key) return op(ref.keyId, ref.evict ?? false);
    const cached = await this.client.keyCache(0, ref.key, { flags: NvmFlags.USAGE_DERIVE, label });
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

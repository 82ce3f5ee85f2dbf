import { MlKemDecapsRequest, MlKemDecapsResponse, MlKemEncapsRequest, MlKemEncapsResponse, MlKemKeyGenRequest, MlKemKeyGenResponse, MlKemOption } from '../../crypto/mlkem/messages.js';
import { MLKEM_FAMILY, MlKemLevel } from '../../crypto/mlkem/params.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail, withImportedKey } from './exchange.js';
import type { CryptoResult } from './exchange.js';

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
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_KEM_KEYGEN, body, MlKemKeyGenResponse, this.family);
    if (!('value' in r)) return r;
    const key = responseTail('ML-KEM keygen', r.reader, MlKemKeyGenResponse.size, r.value.len);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : key, privateKey: o.ephemeral ? key : EMPTY };
  }

  /** A fresh shared secret and the ciphertext that carries it to the key's owner. */
  async encapsulate(o: MlKemKeyRef): Promise<CryptoResult<{ ciphertext: Uint8Array; sharedSecret: Uint8Array }>> {
    return withImportedKey(this.client, o, NvmFlags.USAGE_DERIVE, 'TempMlKemEncaps', async (keyId, evict) => {
      const body = MlKemEncapsRequest.encode({ options: evict ? MlKemOption.EVICT : 0, level: LEVEL[o.level], keyId }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_KEM_ENCAPS, body, MlKemEncapsResponse, this.family);
      if (!('value' in r)) return r;
      const both = responseTail('ML-KEM encapsulate', r.reader, MlKemEncapsResponse.size, r.value.ctSz + r.value.ssSz);
      return { rc: 0, ciphertext: both.slice(0, r.value.ctSz), sharedSecret: both.slice(r.value.ctSz) };
    });
  }

  /** The shared secret a ciphertext carries (a forged ciphertext gives FIPS 203's implicit-rejection secret). */
  async decapsulate(o: MlKemKeyRef & { readonly ciphertext: Uint8Array }): Promise<CryptoResult<{ sharedSecret: Uint8Array }>> {
    return withImportedKey(this.client, o, NvmFlags.USAGE_DERIVE, 'TempMlKemDecaps', async (keyId, evict) => {
      const fixed = MlKemDecapsRequest.encode({ options: evict ? MlKemOption.EVICT : 0, level: LEVEL[o.level], keyId, ctSz: o.ciphertext.length }, true);
      const body = new Uint8Array(fixed.length + o.ciphertext.length);
      body.set(fixed);
      body.set(o.ciphertext, fixed.length);
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.PQC_KEM_DECAPS, body, MlKemDecapsResponse, this.family);
      if (!('value' in r)) return r;
      return { rc: 0, sharedSecret: responseTail('ML-KEM decapsulate', r.reader, MlKemDecapsResponse.size, r.value.ssSz) };
    });
  }




}


import { ECC_CURVE_IDS, type EccCurveName } from '../../crypto/ecc/curve-ids.js';
import {
  EccCheckRequest,
  EccCheckResponse,
  EccKeyGenRequest,
  EccKeyGenResponse,
  EccMakePubRequest,
  EccMakePubResponse,
  EccOption,
  EccSignRequest,
  EccSignResponse,
  EccVerifyRequest,
  EccVerifyResponse,
  EcdhRequest,
  EcdhResponse,
} from '../../crypto/ecc/messages.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail, withImportedKey, type CryptoResult } from './exchange.js';

/** A curve by name, or wolfCrypt's curve id. */
export type EccCurveRef = EccCurveName | number;

/**
 * The key of one operation: stored on the server (`keyId`), or DER held here
 * (`key`: SEC1, PKCS#8 or SPKI), cached for that one request with just the usage
 * it needs and evicted by it, as the C client does with its temporary keys.
 */
export type EccKeyRef = { readonly keyId: number; readonly key?: undefined } | { readonly key: Uint8Array; readonly keyId?: undefined };

export interface EccGenerateOptions {
  readonly curve: EccCurveRef;
  /** The cached key's id (number 0 or absent: the server picks one). */
  readonly keyId?: number;
  /** Usage and other flags of the cached key: without SIGN/VERIFY/DERIVE it can only give its public key. */
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

/** The PK type numbers of EC_MAKE_PUB and EC_CHECK_PUB_KEY the server answers (spec-crypto 2.5). */
export interface EccPubTypes {
  readonly makePub: number;
  readonly checkPub: number;
}

const EMPTY = new Uint8Array(0);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

function curveOf(ref: EccCurveRef): { id: number; size: number } {
  if (typeof ref === 'number') return { id: ref, size: Object.values(ECC_CURVE_IDS).find((c) => c.id === ref)?.size ?? 0 };
  return ECC_CURVE_IDS[ref];
}


/** ECC calls of `client.crypto.ecc` (wh_Client_Ecc*). */
export class EccClient {
  constructor(
    protected readonly client: HsmClient,
    /** Defaults: the numbers of the recorded build (0xFA, 0xFB). */
    readonly pubTypes: EccPubTypes = { makePub: WcPk.EC_MAKE_PUB, checkPub: WcPk.EC_CHECK_PUB_KEY },
  ) {}





  private async keygen(opts: EccGenerateOptions, flags: number) {
    const c = curveOf(opts.curve);
    const body = EccKeyGenRequest.encode({ sz: c.size, curveId: c.id, keyId: opts.keyId ?? 0, flags, access: 0, label: toLabel(opts.label) }, true);
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.EC_KEYGEN, body, EccKeyGenResponse);
    if (!('value' in r)) return r;
    return { rc: 0 as const, keyId: r.value.keyId, der: responseTail('ECC keygen', r.reader, EccKeyGenResponse.size, r.value.len) };
  }

  /**
   * A key pair made on the server. Cached (wh_Client_EccMakeCacheKey): its id and
   * SPKI public key. With `ephemeral` (wh_Client_EccMakeExportKey): the SEC1 DER
   * with the public key, nothing kept on the server.
   */
  generate(opts: EccGenerateOptions & { readonly ephemeral: true }): Promise<CryptoResult<{ der: Uint8Array }>>;
  generate(opts: EccGenerateOptions & { readonly ephemeral?: false }): Promise<CryptoResult<{ keyId: number; publicKey: Uint8Array }>>;
  async generate(opts: EccGenerateOptions & { readonly ephemeral?: boolean }): Promise<CryptoResult<{ der: Uint8Array } | { keyId: number; publicKey: Uint8Array }>> {
    const r = await this.keygen(opts, opts.ephemeral ? NvmFlags.EPHEMERAL : (opts.flags ?? 0) & ~NvmFlags.EPHEMERAL);
    if (!('der' in r)) return r;
    return opts.ephemeral ? { rc: 0, der: r.der } : { rc: 0, keyId: r.keyId, publicKey: r.der };
  }

  /** ECDSA over a digest the caller computed (needs SIGN): a DER signature, random k. */
  async sign(opts: EccKeyRef & { readonly digest: Uint8Array; readonly evict?: boolean }): Promise<CryptoResult<{ signature: Uint8Array }>> {
    return withImportedKey(this.client, opts, NvmFlags.USAGE_SIGN, 'TempEccSign', async (keyId, temp) => {
      const options = opts.evict || temp ? EccOption.EVICT : 0;
      const body = EccSignRequest.encode({ options, keyId, sz: opts.digest.length }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ECDSA_SIGN, concat(body, opts.digest), EccSignResponse);
      if (!('value' in r)) return r;
      return { rc: 0, signature: responseTail('ECDSA sign', r.reader, EccSignResponse.size, r.value.sz) };
    });
  }

  /**
   * Verifies a DER signature over a digest (needs VERIFY). `valid` false is a
   * well-formed signature that does not match; a malformed one is an rc.
   * `exportPublic` also returns the key's SPKI.
   */
  async verify(
    opts: EccKeyRef & { readonly signature: Uint8Array; readonly digest: Uint8Array; readonly exportPublic?: boolean; readonly evict?: boolean },
  ): Promise<CryptoResult<{ valid: boolean; publicKey: Uint8Array }>> {
    return withImportedKey(this.client, opts, NvmFlags.USAGE_VERIFY, 'TempEccVerify', async (keyId, temp) => {
      const options = (opts.evict || temp ? EccOption.EVICT : 0) | (opts.exportPublic ? EccOption.EXPORT_PUBLIC : 0);
      const body = EccVerifyRequest.encode({ options, keyId, sigSz: opts.signature.length, hashSz: opts.digest.length }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ECDSA_VERIFY, concat(body, opts.signature, opts.digest), EccVerifyResponse);
      if (!('value' in r)) return r;
      return { rc: 0, valid: r.value.res === 1, publicKey: responseTail('ECDSA verify', r.reader, EccVerifyResponse.size, r.value.pubSz) };
    });
  }

  /**
   * ECDH (the private key needs DERIVE): the x coordinate of the shared point, or,
   * with `cache`, the id under which the server keeps it.
   */
  async sharedSecret(opts: {
    readonly privateKeyId: number;
    readonly publicKeyId: number;
    readonly evictPrivate?: boolean;
    readonly evictPublic?: boolean;
    readonly cache?: { readonly keyId?: number; readonly flags?: number; readonly label?: string | Uint8Array };
  }): Promise<CryptoResult<{ secret: Uint8Array; keyId: number }>> {
    const options = (opts.evictPublic ? EccOption.EVICT_PUBLIC : 0) | (opts.evictPrivate ? EccOption.EVICT_PRIVATE : 0);
    const flags = opts.cache ? (opts.cache.flags ?? 0) & ~NvmFlags.EPHEMERAL : NvmFlags.EPHEMERAL;
    const body = EcdhRequest.encode(
      { options, privateKeyId: opts.privateKeyId, publicKeyId: opts.publicKeyId, flags, keyId: opts.cache?.keyId ?? 0, label: toLabel(opts.cache?.label) },
      true,
    );
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ECDH, body, EcdhResponse);
    if (!('value' in r)) return r;
    return { rc: 0, keyId: r.value.keyId, secret: opts.cache ? EMPTY : responseTail('ECDH', r.reader, EcdhResponse.size, r.value.sz) };
  }

  /** The public point d·G of a private key, recomputed by the server: X9.63 `04 ‖ X ‖ Y`. */
  async makePublic(opts: EccKeyRef & { readonly evict?: boolean }): Promise<CryptoResult<{ publicKey: Uint8Array }>> {
    return withImportedKey(this.client, opts, 0, 'TempEccMakePub', async (keyId, temp) => {
      const body = EccMakePubRequest.encode({ options: opts.evict || temp ? EccOption.EVICT : 0, keyId }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, this.pubTypes.makePub, body, EccMakePubResponse);
      if (!('value' in r)) return r;
      return { rc: 0, publicKey: responseTail('ECC make-pub', r.reader, EccMakePubResponse.size, r.value.pubSz) };
    });
  }

  /**
   * wolfCrypt's full key check on the server, and, given `publicKey` (X9.63), that
   * it is the key's point. The verdict is the rc: 0 valid, else wolfCrypt's code.
   */
  async checkPublic(opts: EccKeyRef & { readonly publicKey?: Uint8Array; readonly curve?: EccCurveRef; readonly evict?: boolean }): Promise<{ rc: number }> {
    return withImportedKey(this.client, opts, 0, 'TempEccCheck', async (keyId, temp) => {
      const pub = opts.publicKey ?? EMPTY;
      const curveId = opts.curve === undefined ? 0 : curveOf(opts.curve).id;
      const body = EccCheckRequest.encode({ options: opts.evict || temp ? EccOption.EVICT : 0, keyId, curveId, pubSz: pub.length }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, this.pubTypes.checkPub, concat(body, pub), EccCheckResponse);
      return { rc: r.rc };
    });
  }
}

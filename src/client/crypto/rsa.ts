import {
  RSA_INPUT_OFFSET,
  RSA_KEYGEN_DER_OFFSET,
  RSA_OPTIONS_EVICT,
  RSA_OUTPUT_OFFSET,
  RsaGetSizeRequest,
  RsaGetSizeResponse,
  RsaKeyGenRequest,
  RsaKeyGenResponse,
  RsaOp,
  RsaRequest,
  RsaResponse,
  type RsaOpType,
} from '../../crypto/rsa/messages.js';
import { emsaPkcs1v15, type RsaHash } from '../../crypto/rsa/pkcs1.js';
import { WcAlgo, WcError, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail } from './exchange.js';
import type { CryptoResult } from './aes.js';

export interface RsaGenerateOptions {
  /** Modulus length in bits (1024..4096). */
  readonly bits: number;
  /** Public exponent (odd, ≥ 3); default 65537. */
  readonly e?: number;
  /** Usage and other NVM flags of the cached key (EPHEMERAL is set by `ephemeral`). */
  readonly flags?: number;
  readonly label?: string | Uint8Array;
  /** Client key id to cache under; 0 (default) lets the server pick one. */
  readonly keyId?: number;
}

export interface RsaFunctionOptions {
  readonly keyId: number;
  readonly op: RsaOpType;
  /** A big-endian number below the modulus, k bytes or fewer. */
  readonly input: Uint8Array;
  /** The output room announced to the server (default 512, enough for 4096 bits). */
  readonly outLen?: number;
  /** Evict the key after the operation (a temporary import). */
  readonly evict?: boolean;
}



/** RSA calls of `client.crypto.rsa` (spec-crypto 9): keys stay on the server, by id. */
export class RsaClient {
  constructor(protected readonly client: HsmClient) {}

  /** A new key pair returned as PKCS#1 RSAPrivateKey DER (EPHEMERAL: nothing is cached). */
  generate(opts: RsaGenerateOptions & { readonly ephemeral: true }): Promise<CryptoResult<{ privateKey: Uint8Array }>>;
  /** A new key pair cached on the server: its id and SPKI public key (empty when it did not fit in the answer). */
  generate(opts: RsaGenerateOptions & { readonly ephemeral?: false }): Promise<CryptoResult<{ keyId: number; publicKey: Uint8Array }>>;
  async generate(opts: RsaGenerateOptions & { readonly ephemeral?: boolean }): Promise<CryptoResult<{ keyId: number; publicKey: Uint8Array } | { privateKey: Uint8Array }>> {
    const flags = opts.ephemeral ? NvmFlags.EPHEMERAL : (opts.flags ?? 0) & ~NvmFlags.EPHEMERAL;
    const body = RsaKeyGenRequest.encode({ flags, keyId: opts.keyId ?? 0, size: opts.bits, e: opts.e ?? 65537, label: toLabel(opts.label) }, true);
    const x = await cryptoExchange(this.client, WcAlgo.PK, WcPk.RSA_KEYGEN, body, RsaKeyGenResponse);
    if (!('value' in x)) return x;
    const res = x.value;
    const der = responseTail('RSA keygen', x.reader, RSA_KEYGEN_DER_OFFSET, res.len);
    return opts.ephemeral ? { rc: 0, privateKey: der } : { rc: 0, keyId: res.keyId, publicKey: der };
  }

  /** The raw RSA function (wc_RsaFunction): m^e (ops 0, 1) or m^d (ops 2, 3) mod n, k bytes. */
  async function(opts: RsaFunctionOptions): Promise<CryptoResult<{ output: Uint8Array }>> {
    const fixed = RsaRequest.encode(
      { opType: opts.op, options: opts.evict ? RSA_OPTIONS_EVICT : 0, keyId: opts.keyId, inLen: opts.input.length, outLen: opts.outLen ?? 512 },
      true,
    );
    const body = new Uint8Array(RSA_INPUT_OFFSET + opts.input.length);
    body.set(fixed);
    body.set(opts.input, RSA_INPUT_OFFSET);
    const x = await cryptoExchange(this.client, WcAlgo.PK, WcPk.RSA, body, RsaResponse);
    if (!('value' in x)) return x;
    return { rc: 0, output: responseTail('RSA', x.reader, RSA_OUTPUT_OFFSET, x.value.outLen) };
  }

  /** The modulus length in bytes. */
  async getSize(opts: { readonly keyId: number; readonly evict?: boolean }): Promise<CryptoResult<{ size: number }>> {
    const body = RsaGetSizeRequest.encode({ options: opts.evict ? RSA_OPTIONS_EVICT : 0, keyId: opts.keyId }, true);
    const x = await cryptoExchange(this.client, WcAlgo.PK, WcPk.RSA_GET_SIZE, body, RsaGetSizeResponse);
    if (!('value' in x)) return x;
    return { rc: 0, size: x.value.keySize };
  }

  /**
   * A PKCS#1 v1.5 signature of a digest: the padding is built here, the private
   * exponentiation (op 2, SIGN usage) on the server. `size` (modulus bytes) saves a GET_SIZE.
   */
  async sign(opts: { readonly keyId: number; readonly hash: RsaHash; readonly digest: Uint8Array; readonly size?: number; readonly evict?: boolean }): Promise<CryptoResult<{ signature: Uint8Array }>> {
    let k = opts.size;
    if (k === undefined) {
      const s = await this.getSize({ keyId: opts.keyId });
      if (!('size' in s)) return s;
      k = s.size;
    }
    const em = emsaPkcs1v15(opts.hash, opts.digest, k);
    if (!em) return { rc: WcError.BAD_FUNC_ARG };
    const r = await this.function({ keyId: opts.keyId, op: RsaOp.PRIVATE_ENCRYPT, input: em, outLen: k, ...(opts.evict ? { evict: true } : {}) });
    return 'output' in r ? { rc: 0, signature: r.output } : r;
  }

  /** Checks a PKCS#1 v1.5 signature of a digest: the public exponentiation (op 1, VERIFY usage) on the server, the padding here. */
  async verify(opts: { readonly keyId: number; readonly hash: RsaHash; readonly digest: Uint8Array; readonly signature: Uint8Array; readonly evict?: boolean }): Promise<CryptoResult<{ valid: boolean }>> {
    const r = await this.function({ keyId: opts.keyId, op: RsaOp.PUBLIC_DECRYPT, input: opts.signature, ...(opts.evict ? { evict: true } : {}) });
    if (!('output' in r)) return r;
    const expected = emsaPkcs1v15(opts.hash, opts.digest, r.output.length);
    return { rc: 0, valid: expected !== null && Buffer.compare(expected, r.output) === 0 };
  }
}

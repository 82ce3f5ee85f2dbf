import { createHash } from 'node:crypto';
import { WhError } from '../../errors.js';
import {
  Ed25519KeyGenRequest,
  Ed25519KeyGenResponse,
  Ed25519Option,
  Ed25519SignRequest,
  Ed25519SignResponse,
  Ed25519Type,
  Ed25519VerifyRequest,
  Ed25519VerifyResponse,
} from '../../crypto/ed25519/messages.js';
import { WcAlgo, WcError, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail, type CryptoResult } from './exchange.js';

export interface Ed25519GenerateOptions {
  /** Return the private key (wolfCrypt DER) instead of caching it. */
  readonly ephemeral?: boolean;
  /** The cached key's id (number 0 or absent: the server picks one). */
  readonly keyId?: number;
  /** Usage and other flags of the cached key (SIGN / VERIFY to use it). */
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

export interface Ed25519Generated {
  /** The cached key's id (0 for an ephemeral key). */
  readonly keyId: number;
  /** Cached key: the 44-byte SubjectPublicKeyInfo; empty for an ephemeral one. */
  readonly publicKey: Uint8Array;
  /** Ephemeral key: wolfCrypt's 82-byte private DER (version 0 with the public key as [1]); empty for a cached one. */
  readonly privateKey: Uint8Array;
}

/** RFC 8032 variants: Ed25519, Ed25519ctx, Ed25519ph. */
export type Ed25519Variant = 'pure' | 'ctx' | 'ph';

/**
 * The key, the data and the variant of a signature. The key is stored on the server
 * (`keyId`, optionally evicted afterwards) or wolfCrypt/PKCS#8/SPKI DER held here
 * (`key`), imported for the one request and evicted by it. For 'ph' the server
 * signs SHA-512(message); pass `digest` to give that hash directly.
 */
export type Ed25519Options = ({ readonly keyId: number; readonly evict?: boolean; readonly key?: undefined } | { readonly key: Uint8Array; readonly keyId?: undefined }) & {
  readonly variant?: Ed25519Variant;
  readonly context?: Uint8Array;
} & ({ readonly message: Uint8Array; readonly digest?: undefined } | { readonly digest: Uint8Array; readonly message?: undefined });

const TYPE: Readonly<Record<Ed25519Variant, number>> = { pure: Ed25519Type.PURE, ctx: Ed25519Type.CTX, ph: Ed25519Type.PH };
const EMPTY = new Uint8Array(0);

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/** What goes in the message field: the message, or for 'ph' its SHA-512 (unless the digest is given). */
function messageField(o: Ed25519Options): Uint8Array {
  if (o.digest) return o.digest;
  return o.variant === 'ph' ? new Uint8Array(createHash('sha512').update(o.message).digest()) : o.message;
}

/** Ed25519 calls of `client.crypto.ed25519` (wh_Client_Ed25519*). */
export class Ed25519Client {
  constructor(protected readonly client: HsmClient) {}

  /** A new key pair on the server: cached (answering its id and SPKI) or returned as DER (`ephemeral`). */
  async generate(o: Ed25519GenerateOptions = {}): Promise<CryptoResult<Ed25519Generated>> {
    const flags = o.ephemeral ? NvmFlags.EPHEMERAL : (o.flags ?? 0) & ~NvmFlags.EPHEMERAL;
    const body = Ed25519KeyGenRequest.encode({ flags, keyId: o.ephemeral ? 0 : (o.keyId ?? 0), access: 0, label: toLabel(o.label) }, true);
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ED25519_KEYGEN, body, Ed25519KeyGenResponse);
    if (!('value' in r)) return r;
    const der = responseTail('Ed25519 keygen', r.reader, Ed25519KeyGenResponse.size, r.value.outSz);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : der, privateKey: o.ephemeral ? der : EMPTY };
  }

  /** A 64-byte signature (deterministic: RFC 8032). */
  async sign(o: Ed25519Options): Promise<CryptoResult<{ signature: Uint8Array }>> {
    const message = messageField(o);
    const context = o.context ?? EMPTY;
    return this.withKey(o, NvmFlags.USAGE_SIGN, 'TempEd25519Sign', async (keyId, evict) => {
      const fixed = Ed25519SignRequest.encode({ options: evict ? Ed25519Option.EVICT : 0, keyId, msgSz: message.length, type: TYPE[o.variant ?? 'pure'], ctxSz: context.length }, true);
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ED25519_SIGN, concat(fixed, message, context), Ed25519SignResponse);
      if (!('value' in r)) return r;
      return { rc: 0, signature: responseTail('Ed25519 sign', r.reader, Ed25519SignResponse.size, r.value.sigSz) };
    });
  }

  /**
   * Checks a signature. A signature that does not verify answers `valid: false` (the
   * server's SIG_VERIFY_E); malformed input (not 64 bytes, S ≥ L, a public key that
   * is no point) stays an error, BAD_FUNC_ARG.
   */
  async verify(o: Ed25519Options & { readonly signature: Uint8Array }): Promise<CryptoResult<{ valid: boolean }>> {
    const message = messageField(o);
    const context = o.context ?? EMPTY;
    return this.withKey(o, NvmFlags.USAGE_VERIFY, 'TempEd25519Verify', async (keyId, evict) => {
      const fixed = Ed25519VerifyRequest.encode(
        { options: evict ? Ed25519Option.EVICT : 0, keyId, sigSz: o.signature.length, msgSz: message.length, type: TYPE[o.variant ?? 'pure'], ctxSz: context.length },
        true,
      );
      const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.ED25519_VERIFY, concat(fixed, o.signature, message, context), Ed25519VerifyResponse);
      if (r.rc === WcError.SIG_VERIFY_E) return { rc: 0, valid: false };
      if (!('value' in r)) return r;
      return { rc: 0, valid: r.value.res === 1 };
    });
  }

  /** Runs `op` on a stored key, or on DER imported for it with `usage` (evicted by the operation). */
  private async withKey<T>(o: Ed25519Options, usage: number, label: string, op: (keyId: number, evict: boolean) => Promise<CryptoResult<T>>): Promise<CryptoResult<T>> {
    if (!o.key) return op(o.keyId, o.evict ?? false);
    const cached = await this.client.keyCache(0, o.key, { flags: usage, label });
    if (cached.rc !== WhError.OK) return { rc: cached.rc };
    return op(cached.keyId, true);
  }
}

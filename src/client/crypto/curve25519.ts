import { WhError } from '../../errors.js';
import {
  CURVE25519_KEY_SIZE,
  Curve25519Endian,
  Curve25519KeyGenRequest,
  Curve25519KeyGenResponse,
  Curve25519Option,
  Curve25519Request,
  Curve25519Response,
} from '../../crypto/curve25519/messages.js';
import { WcAlgo, WcPk } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { HsmClient } from '../hsm-client.js';
import { cryptoExchange, responseTail, type CryptoResult } from './exchange.js';

export interface Curve25519GenerateOptions {
  /** Return the private key (wolfCrypt DER) instead of caching it. */
  readonly ephemeral?: boolean;
  /** The cached key's id (number 0 or absent: the server picks one). */
  readonly keyId?: number;
  /** Usage and other flags of the cached key (DERIVE to agree with it). */
  readonly flags?: number;
  readonly label?: string | Uint8Array;
}

export interface Curve25519Generated {
  /** The cached key's id; for an ephemeral key, the id field as the server sent it (0x0100 with global keys). */
  readonly keyId: number;
  /** Cached key: the 44-byte SubjectPublicKeyInfo (u byte-reversed, as wolfCrypt writes it); empty for an ephemeral one. */
  readonly publicKey: Uint8Array;
  /** Ephemeral key: wolfCrypt's 82-byte private DER; empty for a cached one. */
  readonly privateKey: Uint8Array;
}

/**
 * One key of an agreement: stored on the server (`…KeyId`, optionally evicted
 * afterwards), or wolfCrypt DER held here (`…Key`), imported with DERIVE for the
 * one request and evicted by it, as the C client does with its temporary keys.
 */
export interface Curve25519SharedSecretOptions {
  readonly privateKeyId?: number;
  readonly privateKey?: Uint8Array;
  readonly evictPrivate?: boolean;
  readonly publicKeyId?: number;
  readonly publicKey?: Uint8Array;
  readonly evictPublic?: boolean;
  /** Byte order of the secret: RFC 7748's (default) or reversed (wolfCrypt's default API). */
  readonly endian?: 'little' | 'big';
  /** Keep the secret in the server's key cache instead of returning it. */
  readonly cache?: { readonly keyId?: number; readonly flags?: number; readonly label?: string | Uint8Array };
}

const EMPTY = new Uint8Array(0);

/** Curve25519 calls of `client.crypto.curve25519` (wh_Client_Curve25519*). */
export class Curve25519Client {
  constructor(protected readonly client: HsmClient) {}

  /** A new X25519 key pair on the server: cached (answering its id and SPKI) or returned as DER (`ephemeral`). */
  async generate(o: Curve25519GenerateOptions = {}): Promise<CryptoResult<Curve25519Generated>> {
    const flags = o.ephemeral ? NvmFlags.EPHEMERAL : (o.flags ?? 0) & ~NvmFlags.EPHEMERAL;
    const body = Curve25519KeyGenRequest.encode({ sz: CURVE25519_KEY_SIZE, flags, keyId: o.ephemeral ? 0 : (o.keyId ?? 0), label: toLabel(o.label) }, true);
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.CURVE25519_KEYGEN, body, Curve25519KeyGenResponse);
    if (!('value' in r)) return r;
    const der = responseTail('Curve25519 keygen', r.reader, Curve25519KeyGenResponse.size, r.value.len);
    return { rc: 0, keyId: r.value.keyId, publicKey: o.ephemeral ? EMPTY : der, privateKey: o.ephemeral ? der : EMPTY };
  }

  /** X25519 of a private and a public key: the 32-byte secret, or (with `cache`) the id it was cached under. */
  async sharedSecret(o: Curve25519SharedSecretOptions): Promise<CryptoResult<{ secret: Uint8Array; keyId: number }>> {
    const imported: number[] = [];
    const ref = async (id: number | undefined, der: Uint8Array | undefined, label: string): Promise<{ rc: number; keyId: number }> => {
      if (!der) return { rc: 0, keyId: id ?? 0 };
      const c = await this.client.keyCache(0, der, { flags: NvmFlags.USAGE_DERIVE, label });
      if (c.rc === WhError.OK) imported.push(c.keyId);
      return c;
    };
    const priv = await ref(o.privateKeyId, o.privateKey, 'TempX25519-prv');
    const pub = priv.rc === WhError.OK ? await ref(o.publicKeyId, o.publicKey, 'TempX25519-pub') : priv;
    if (pub.rc !== WhError.OK) {
      for (const id of imported) await this.client.keyEvict(id); // the request that would evict them is not sent
      return { rc: pub.rc };
    }
    const options = (o.evictPublic || o.publicKey ? Curve25519Option.EVICT_PUBLIC : 0) | (o.evictPrivate || o.privateKey ? Curve25519Option.EVICT_PRIVATE : 0);
    const body = Curve25519Request.encode(
      {
        options,
        privateKeyId: priv.keyId,
        publicKeyId: pub.keyId,
        endian: o.endian === 'big' ? Curve25519Endian.BIG : Curve25519Endian.LITTLE,
        flags: o.cache ? (o.cache.flags ?? 0) & ~NvmFlags.EPHEMERAL : NvmFlags.EPHEMERAL,
        keyId: o.cache?.keyId ?? 0,
        label: toLabel(o.cache?.label),
      },
      true,
    );
    const r = await cryptoExchange(this.client, WcAlgo.PK, WcPk.CURVE25519, body, Curve25519Response);
    if (!('value' in r)) return r;
    return { rc: 0, secret: responseTail('Curve25519 shared secret', r.reader, Curve25519Response.size, r.value.sz), keyId: r.value.keyId };
  }
}

import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { WcError } from '../wolfcrypt.js';
import { clampX25519, decodeX25519, x25519PrivateDer, x25519PublicDer, type X25519Key } from './der.js';
import { Curve25519Endian } from './messages.js';
import { x25519, x25519PublicKey } from './x25519.js';

export interface Curve25519KeygenArgs {
  /** 32 bytes of server randomness: the scalar before clamping. */
  readonly random: Uint8Array;
}
export interface Curve25519KeyPair {
  /** wolfCrypt's 82-byte private DER (what EPHEMERAL returns and the cache stores). */
  readonly privateDer: Uint8Array;
  /** The 44-byte SubjectPublicKeyInfo (the cached keygen's reply). */
  readonly publicDer: Uint8Array;
}

export interface Curve25519SharedArgs {
  /** The stored bytes of both keys, as loaded (DER, decoded here). */
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Curve25519Endian: 1 reverses the secret; anything else is RFC 7748 order (wolfCrypt tests for 1 only). */
  readonly endian: number;
}
export type Curve25519SharedResult = { readonly rc: 0; readonly secret: Uint8Array } | { readonly rc: number };

function keygen({ random }: Curve25519KeygenArgs): Curve25519KeyPair {
  const scalar = clampX25519(random);
  const u = x25519PublicKey(scalar);
  const privateDer = x25519PrivateDer(scalar, u);
  scalar.fill(0);
  return { privateDer, publicDer: x25519PublicDer(u) };
}

/** The public u of a decoded key: the stored one, else derived from the scalar (wolfCrypt's export does the same). */
const publicOf = (k: X25519Key): Uint8Array => k.publicKey ?? x25519PublicKey(k.scalar!);

/**
 * wc_curve25519_shared_secret_ex on two decoded keys: the private one must hold a
 * scalar and the public one a u-coordinate (a private DER without `[1]` has none),
 * whose top bit must be clear; otherwise ECC_BAD_ARG_E.
 */
function sharedSecret({ privateKey, publicKey, endian }: Curve25519SharedArgs): Curve25519SharedResult {
  const priv = decodeX25519(privateKey);
  if (!priv) return { rc: WcError.ASN_PARSE_E };
  const pub = decodeX25519(publicKey);
  if (!pub) return { rc: WcError.ASN_PARSE_E };
  if (!priv.scalar || !pub.publicKey || pub.publicKey[31]! & 0x80) return { rc: WcError.ECC_BAD_ARG_E };
  const secret = x25519(priv.scalar, pub.publicKey);
  priv.scalar.fill(0);
  return { rc: 0, secret: endian === Curve25519Endian.BIG ? secret.reverse() : secret };
}

/** EXPORT_PUBLIC of a stored X25519 key: the SPKI with u reversed (spec-keys-crypto 9). */
function publicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const k = decodeX25519(key);
  if (!k) return { rc: WcError.ASN_PARSE_E };
  const spki = x25519PublicDer(publicOf(k));
  k.scalar?.fill(0);
  return { rc: 0, publicKey: spki };
}

/** Curve25519 crypto jobs, by name. */
export const curve25519Jobs: CryptoJobTable = {
  'curve25519.keygen': keygen,
  'curve25519.sharedSecret': sharedSecret,
  'curve25519.publicKey': publicKey,
};

import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { WcError } from '../wolfcrypt.js';
import { decodeEd25519, ed25519PrivateDer, ed25519PublicDer, type Ed25519Key } from './der.js';
import { ed25519PublicKey, signEd25519, verifyEd25519 } from './eddsa.js';
import type { Ed25519TypeNumber } from './messages.js';

export interface Ed25519KeygenArgs {
  /** 32 bytes of server randomness: the private seed. */
  readonly seed: Uint8Array;
}
export interface Ed25519KeyPair {
  /** wolfCrypt's 82-byte private DER (what EPHEMERAL returns and the cache stores). */
  readonly privateDer: Uint8Array;
  /** The 44-byte SubjectPublicKeyInfo (the cached keygen's reply). */
  readonly publicDer: Uint8Array;
}

interface Ed25519Op {
  /** The stored key bytes (DER, decoded here). */
  readonly key: Uint8Array;
  readonly message: Uint8Array;
  readonly type: Ed25519TypeNumber;
  readonly context: Uint8Array;
}
export type Ed25519SignArgs = Ed25519Op;
export type Ed25519SignResult = { readonly rc: 0; readonly signature: Uint8Array } | { readonly rc: number };
export interface Ed25519VerifyArgs extends Ed25519Op {
  readonly signature: Uint8Array;
}
/** 0 when the signature verifies, else wolfCrypt's code. */
export interface Ed25519VerifyResult {
  readonly rc: number;
}

function keygen({ seed }: Ed25519KeygenArgs): Ed25519KeyPair {
  const publicKey = ed25519PublicKey(seed);
  return { privateDer: ed25519PrivateDer(seed, publicKey), publicDer: ed25519PublicDer(publicKey) };
}

/** The public key of a decoded key: the stored one, else derived from the seed. */
const publicOf = (k: Ed25519Key): Uint8Array => k.publicKey ?? ed25519PublicKey(k.seed!);

/** A key that decodes but holds no seed (an SPKI) cannot sign: BAD_FUNC_ARG, as wolfCrypt. */
function sign({ key, message, type, context }: Ed25519SignArgs): Ed25519SignResult {
  const k = decodeEd25519(key);
  if (!k) return { rc: WcError.ASN_PARSE_E };
  if (!k.seed) return { rc: WcError.BAD_FUNC_ARG };
  const signature = signEd25519(k.seed, message, type, context);
  k.seed.fill(0);
  return { rc: 0, signature };
}

function verify({ key, signature, message, type, context }: Ed25519VerifyArgs): Ed25519VerifyResult {
  const k = decodeEd25519(key);
  if (!k) return { rc: WcError.ASN_PARSE_E };
  const publicKey = publicOf(k);
  k.seed?.fill(0);
  return { rc: verifyEd25519(publicKey, signature, message, type, context) };
}

/** EXPORT_PUBLIC of a stored Ed25519 key: the 44-byte SPKI (spec-keys-crypto 9). */
function publicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const k = decodeEd25519(key);
  if (!k) return { rc: WcError.ASN_PARSE_E };
  const spki = ed25519PublicDer(publicOf(k));
  k.seed?.fill(0);
  return { rc: 0, publicKey: spki };
}

/** Ed25519 crypto jobs, by name. */
export const ed25519Jobs: CryptoJobTable = {
  'ed25519.keygen': keygen,
  'ed25519.sign': sign,
  'ed25519.verify': verify,
  'ed25519.publicKey': publicKey,
};

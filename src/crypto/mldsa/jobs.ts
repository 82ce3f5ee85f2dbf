import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { WcError } from '../wolfcrypt.js';
import { MLDSA_KEY_CODEC, type MlDsaKeyParts } from './der.js';
import { MLDSA_PARAMS, mlDsa, type MlDsaLevelNumber } from './params.js';
import { messageRepresentative } from './prehash.js';

export interface MlDsaKeygenArgs {
  readonly level: MlDsaLevelNumber;
  /** FIPS 204 seed ξ (32 bytes of server randomness). */
  readonly seed: Uint8Array;
}
export interface MlDsaKeygenResult {
  /** The key pair in the cached/EPHEMERAL form. */
  readonly privateKey: Uint8Array;
  /** SubjectPublicKeyInfo. */
  readonly publicKey: Uint8Array;
}

export interface MlDsaSignArgs {
  /** The stored key bytes. */
  readonly key: Uint8Array;
  readonly message: Uint8Array;
  readonly context: Uint8Array;
  /** 0: pure ML-DSA; else the wolfCrypt hash type of `message`, a digest (HashML-DSA). */
  readonly preHashType: number;
  /** FIPS 204 `rnd` for hedged signing (32 bytes of server randomness). */
  readonly rnd: Uint8Array;
  /** Room for the signature in the response. */
  readonly maxSignature: number;
}
export type MlDsaSignResult = { readonly rc: 0; readonly signature: Uint8Array } | { readonly rc: number };

export interface MlDsaVerifyArgs {
  readonly key: Uint8Array;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly context: Uint8Array;
  readonly preHashType: number;
}
export type MlDsaVerifyResult = { readonly rc: 0; readonly valid: boolean } | { readonly rc: number };

interface UsableKey {
  readonly level: MlDsaLevelNumber;
  readonly secretKey?: Uint8Array;
  readonly publicKey?: Uint8Array;
}

/** Stored bytes to key material; a seed-form private key is expanded (FIPS 204 KeyGen_internal). */
function usable(der: Uint8Array): UsableKey | null {
  const parts: MlDsaKeyParts | null = MLDSA_KEY_CODEC.decode(der);
  if (!parts) return null;
  if (parts.seed && (!parts.secretKey || !parts.publicKey)) {
    const k = mlDsa(parts.level).keygen(parts.seed);
    return { level: parts.level, secretKey: parts.secretKey ?? k.secretKey, publicKey: parts.publicKey ?? k.publicKey };
  }
  return parts;
}

function keygen({ level, seed }: MlDsaKeygenArgs): MlDsaKeygenResult {
  const { secretKey, publicKey } = mlDsa(level).keygen(seed);
  const out = { privateKey: MLDSA_KEY_CODEC.encodeKeyPair(level, secretKey, publicKey), publicKey: MLDSA_KEY_CODEC.encodePublic(level, publicKey) };
  secretKey.fill(0);
  return out;
}

function sign(a: MlDsaSignArgs): MlDsaSignResult {
  const key = usable(a.key);
  if (!key) return { rc: WcError.ASN_PARSE_E };
  if (!key.secretKey) return { rc: WcError.BAD_FUNC_ARG };
  if (MLDSA_PARAMS[key.level].signature > a.maxSignature) return { rc: WcError.BUFFER_E };
  const m = messageRepresentative(a.message, a.context, a.preHashType);
  if (!('m' in m)) return m;
  try {
    return { rc: 0, signature: mlDsa(key.level).internal.sign(m.m, key.secretKey, { extraEntropy: a.rnd }) };
  } finally {
    key.secretKey.fill(0);
  }
}

function verify(a: MlDsaVerifyArgs): MlDsaVerifyResult {
  const key = usable(a.key);
  if (!key) return { rc: WcError.ASN_PARSE_E };
  key.secretKey?.fill(0);
  if (!key.publicKey) return { rc: WcError.BAD_FUNC_ARG };
  // wolfCrypt refuses a signature of the wrong size before looking at it.
  if (a.signature.length !== MLDSA_PARAMS[key.level].signature) return { rc: WcError.BUFFER_E };
  const m = messageRepresentative(a.message, a.context, a.preHashType);
  if (!('m' in m)) return m;
  return { rc: 0, valid: mlDsa(key.level).internal.verify(a.signature, m.m, key.publicKey) };
}

function publicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const k = usable(key);
  if (!k) return { rc: WcError.ASN_PARSE_E };
  k.secretKey?.fill(0);
  if (!k.publicKey) return { rc: WcError.BAD_FUNC_ARG };
  return { rc: 0, publicKey: MLDSA_KEY_CODEC.encodePublic(k.level, k.publicKey) };
}

/** ML-DSA crypto jobs, by name: plain data in, plain data out (failures as wolfCrypt codes). */
export const mldsaJobs: CryptoJobTable = {
  'mldsa.keygen': keygen,
  'mldsa.sign': sign,
  'mldsa.verify': verify,
  'mldsa.publicKey': publicKey,
};

import type { CryptoJobTable } from '../job-table.js';
import type { PublicKeyArgs, PublicKeyResult } from '../public-key.js';
import { WcError } from '../wolfcrypt.js';
import { WhError } from '../../errors.js';
import { MLKEM_PARAMS, MLKEM_SS_SIZE, mlKem, type MlKemLevelNumber } from './params.js';

/** wolfCrypt BAD_STATE_E: decapsulation with a key that has no private part. */
export const WC_BAD_STATE_E = -192;

export interface MlKemKeygenArgs {
  readonly level: MlKemLevelNumber;
  /** FIPS 203 d ‖ z (64 bytes of server randomness). */
  readonly seed: Uint8Array;
}
export interface MlKemKeygenResult {
  readonly dk: Uint8Array;
  readonly ek: Uint8Array;
}

export interface MlKemEncapsArgs {
  /** The stored key bytes (raw dk or ek). */
  readonly key: Uint8Array;
  /** The request's level: the key's must be the same. */
  readonly level: MlKemLevelNumber;
  /** FIPS 203 m (32 bytes of server randomness). */
  readonly m: Uint8Array;
  /** Room for ciphertext and secret in the response. */
  readonly maxOut: number;
}
export type MlKemEncapsResult = { readonly rc: 0; readonly ct: Uint8Array; readonly ss: Uint8Array } | { readonly rc: number };

export interface MlKemDecapsArgs {
  readonly key: Uint8Array;
  readonly level: MlKemLevelNumber;
  readonly ct: Uint8Array;
  readonly maxOut: number;
}
export type MlKemDecapsResult = { readonly rc: 0; readonly ss: Uint8Array } | { readonly rc: number };

interface StoredKey {
  readonly level: MlKemLevelNumber;
  readonly dk?: Uint8Array;
  readonly ek: Uint8Array;
}

/**
 * Stored keys are raw FIPS 203 encodings; their length names the level and whether
 * it is a decapsulation key (wolfHSM tries private then public at each level; the six
 * sizes all differ). Anything else is wolfCrypt's length error.
 */
function stored(key: Uint8Array): StoredKey | { rc: number } {
  if (key.length === 0) return { rc: WhError.BADARGS };
  for (const p of Object.values(MLKEM_PARAMS)) {
    if (key.length === p.dk) return { level: p.level, dk: key, ek: mlKem(p.level).getPublicKey(key) };
    if (key.length === p.ek) return { level: p.level, ek: key };
  }
  return { rc: WcError.BUFFER_E };
}

function keygen({ level, seed }: MlKemKeygenArgs): MlKemKeygenResult {
  const { secretKey, publicKey } = mlKem(level).keygen(seed);
  return { dk: secretKey, ek: publicKey };
}

/** The library refuses keys that fail FIPS 203's input checks by throwing; wolfCrypt callers see BAD_FUNC_ARG. */
function guarded<T>(fn: () => T): T | { rc: number } {
  try {
    return fn();
  } catch {
    return { rc: WcError.BAD_FUNC_ARG };
  }
}

function encapsulate(a: MlKemEncapsArgs): MlKemEncapsResult {
  const k = stored(a.key);
  if ('rc' in k) return k;
  if (k.level !== a.level) return { rc: WhError.BADARGS };
  if (MLKEM_PARAMS[k.level].ct + MLKEM_SS_SIZE > a.maxOut) return { rc: WhError.BADARGS };
  return guarded(() => {
    const { cipherText, sharedSecret } = mlKem(k.level).encapsulate(k.ek, a.m);
    return { rc: 0 as const, ct: cipherText, ss: sharedSecret.slice() };
  });
}

function decapsulate(a: MlKemDecapsArgs): MlKemDecapsResult {
  const k = stored(a.key);
  if ('rc' in k) return k;
  if (k.level !== a.level) return { rc: WhError.BADARGS };
  if (MLKEM_SS_SIZE > a.maxOut) return { rc: WhError.BADARGS };
  if (a.ct.length !== MLKEM_PARAMS[k.level].ct) return { rc: WcError.BUFFER_E };
  const dk = k.dk;
  if (!dk) return { rc: WC_BAD_STATE_E };
  return guarded(() => ({ rc: 0 as const, ss: mlKem(k.level).decapsulate(a.ct, dk) }));
}

function publicKey({ key }: PublicKeyArgs): PublicKeyResult {
  const k = stored(key);
  return 'rc' in k ? { rc: k.rc } : { rc: 0, publicKey: k.ek.slice() };
}

/** ML-KEM crypto jobs, by name: plain data in, plain data out (failures as result codes). */
export const mlkemJobs: CryptoJobTable = {
  'mlkem.keygen': keygen,
  'mlkem.encapsulate': encapsulate,
  'mlkem.decapsulate': decapsulate,
  'mlkem.publicKey': publicKey,
};

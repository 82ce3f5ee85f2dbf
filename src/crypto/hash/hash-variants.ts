import { WcHash } from '../wolfcrypt.js';
import { SHA224_IV, SHA256_IV, SHA384_IV, SHA512_224_IV, SHA512_256_IV, SHA512_IV } from './sha2-iv.js';
import type { Sha2Core } from './sha2-midstate.js';

/** The hash variants a wolfHSM HASH request can name (spec-crypto 5, 6). */

export interface Sha2Variant {
  readonly kind: 'sha2';
  readonly core: Sha2Core;
  readonly block: number;
  readonly digestSize: number;
  /** What the response's hashType field says. */
  readonly hashType: number;
}

export interface Sha3Variant {
  readonly kind: 'sha3';
  /** Rate (the block size) in bytes. */
  readonly rate: number;
  readonly digestSize: number;
}

const sha2 = (core: Sha2Core, digestSize: number, hashType: number): Sha2Variant => ({ kind: 'sha2', core, block: core === 'sha256' ? 64 : 128, digestSize, hashType });
const sha3 = (rate: number, digestSize: number): Sha3Variant => ({ kind: 'sha3', rate, digestSize });

/**
 * The variant a request selects: by algoType, and for SHA-512 (8) by the state's
 * hashType (16 → SHA-512/224, 17 → SHA-512/256, anything else SHA-512). Null for an
 * algoType the HASH class does not serve.
 */
export function hashVariant(algoType: number, sha512HashType: number = WcHash.SHA512): Sha2Variant | Sha3Variant | null {
  switch (algoType) {
    case WcHash.SHA224: return sha2('sha256', 28, WcHash.SHA224);
    case WcHash.SHA256: return sha2('sha256', 32, WcHash.SHA256);
    case WcHash.SHA384: return sha2('sha512', 48, WcHash.SHA384);
    case WcHash.SHA512:
      if (sha512HashType === WcHash.SHA512_224) return sha2('sha512', 28, WcHash.SHA512_224);
      if (sha512HashType === WcHash.SHA512_256) return sha2('sha512', 32, WcHash.SHA512_256);
      return sha2('sha512', 64, WcHash.SHA512);
    case WcHash.SHA3_224: return sha3(144, 28);
    case WcHash.SHA3_256: return sha3(136, 32);
    case WcHash.SHA3_384: return sha3(104, 48);
    case WcHash.SHA3_512: return sha3(72, 64);
    default: return null;
  }
}

/** Algorithm names (node:crypto's spelling) and what a client puts on the wire for each. */
export type HashAlgorithm =
  | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha512-224' | 'sha512-256'
  | 'sha3-224' | 'sha3-256' | 'sha3-384' | 'sha3-512';

export interface HashWireIdentity {
  readonly algoType: number;
  /** The SHA-512 request's hashType field (SHA-384/512 family only). */
  readonly hashType?: number;
  /** The initial state the client sends first (SHA-2: FIPS 180-4 IV; SHA-3: 200 zero bytes). */
  readonly initialState: Uint8Array;
}

export const HASH_ALGORITHMS: Readonly<Record<HashAlgorithm, HashWireIdentity>> = {
  sha224: { algoType: WcHash.SHA224, initialState: SHA224_IV },
  sha256: { algoType: WcHash.SHA256, initialState: SHA256_IV },
  sha384: { algoType: WcHash.SHA384, hashType: WcHash.SHA384, initialState: SHA384_IV },
  sha512: { algoType: WcHash.SHA512, hashType: WcHash.SHA512, initialState: SHA512_IV },
  'sha512-224': { algoType: WcHash.SHA512, hashType: WcHash.SHA512_224, initialState: SHA512_224_IV },
  'sha512-256': { algoType: WcHash.SHA512, hashType: WcHash.SHA512_256, initialState: SHA512_256_IV },
  'sha3-224': { algoType: WcHash.SHA3_224, initialState: new Uint8Array(200) },
  'sha3-256': { algoType: WcHash.SHA3_256, initialState: new Uint8Array(200) },
  'sha3-384': { algoType: WcHash.SHA3_384, initialState: new Uint8Array(200) },
  'sha3-512': { algoType: WcHash.SHA3_512, initialState: new Uint8Array(200) },
};

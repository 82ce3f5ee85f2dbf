import { constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { AlgorithmIdentifier, RSASSAPSSParams } from 'pkijs';

/** How to check a signature of one X.509 signature algorithm with node:crypto. */
export interface SignatureScheme {
  /** The key type (KeyObject.asymmetricKeyType) the algorithm needs. */
  readonly keyTypes: readonly string[];
  /** Digest name, null for the EdDSA algorithms (they hash internally). */
  readonly hash: string | null;
  readonly pssSaltLength?: number;
}

const RSA = ['rsa'];
const EC = ['ec'];
const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithm OIDs (RFC 4055, 5758, 8410) with a fixed hash. */
const SCHEMES: Readonly<Record<string, SignatureScheme>> = {
  '1.2.840.113549.1.1.5': { keyTypes: RSA, hash: 'sha1' },
  '1.2.840.113549.1.1.14': { keyTypes: RSA, hash: 'sha224' },
  '1.2.840.113549.1.1.11': { keyTypes: RSA, hash: 'sha256' },
  '1.2.840.113549.1.1.12': { keyTypes: RSA, hash: 'sha384' },
  '1.2.840.113549.1.1.13': { keyTypes: RSA, hash: 'sha512' },
  '1.2.840.10045.4.1': { keyTypes: EC, hash: 'sha1' },
  '1.2.840.10045.4.3.1': { keyTypes: EC, hash: 'sha224' },
  '1.2.840.10045.4.3.2': { keyTypes: EC, hash: 'sha256' },
  '1.2.840.10045.4.3.3': { keyTypes: EC, hash: 'sha384' },
  '1.2.840.10045.4.3.4': { keyTypes: EC, hash: 'sha512' },
  '1.3.101.112': { keyTypes: ['ed25519'], hash: null },
  '1.3.101.113': { keyTypes: ['ed448'], hash: null },
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** The scheme of an encoded AlgorithmIdentifier; null for algorithms (or PSS parameters) not handled here. */
export function signatureScheme(algorithmDer: Uint8Array): SignatureScheme | null {
  try {
    const alg = AlgorithmIdentifier.fromBER(algorithmDer);
    if (alg.algorithmId !== RSASSA_PSS) return SCHEMES[alg.algorithmId] ?? null;
    const p = alg.algorithmParams ? new RSASSAPSSParams({ schema: alg.algorithmParams }) : new RSASSAPSSParams();
    const hash = HASH_OIDS[p.hashAlgorithm.algorithmId];
    return hash ? { keyTypes: ['rsa', 'rsa-pss'], hash, pssSaltLength: p.saltLength } : null;
  } catch {
    return null;
  }
}

/** Does `signature` over `data` verify with `key` under `scheme` (a key of the wrong type never does). */
export function verifySignature(scheme: SignatureScheme, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const pss = scheme.pssSaltLength !== undefined ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.pssSaltLength } : {};
  try {
    return nodeVerify(scheme.hash, data, { key, dsaEncoding: 'der', ...pss }, signature);
  } catch {
    return false;
  }
}

export const keyFits = (scheme: SignatureScheme, key: KeyObject): boolean => scheme.keyTypes.includes(key.asymmetricKeyType ?? '');

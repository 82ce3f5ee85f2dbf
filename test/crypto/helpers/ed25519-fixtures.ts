import { readFileSync } from 'node:fs';

/** One signature vector of test/fixtures/ed25519/rfc8032.json (hex strings). */
export interface Ed25519Vector {
  readonly name: string;
  readonly seed: string;
  readonly publicKey: string;
  readonly message: string;
  readonly context?: string;
  readonly prehash?: string;
  readonly signature: string;
}

export interface Ed25519Fixtures {
  readonly pure: readonly Ed25519Vector[];
  readonly ctx: readonly Ed25519Vector[];
  readonly ph: readonly Ed25519Vector[];
  readonly rareSignatures: { readonly publicKey: string; readonly cases: readonly { readonly what: string; readonly signature: string; readonly rc: number }[] };
}

export const ED25519_VECTORS = JSON.parse(readFileSync(new URL('../../fixtures/ed25519/rfc8032.json', import.meta.url), 'utf8')) as Ed25519Fixtures;

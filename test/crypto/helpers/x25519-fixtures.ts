import { readFileSync } from 'node:fs';

/** test/fixtures/x25519/rfc7748.json (hex strings, RFC 7748 byte order). */
export interface X25519Fixtures {
  readonly scalarMult: readonly { readonly name: string; readonly scalar: string; readonly u: string; readonly output: string }[];
  readonly diffieHellman: { readonly alicePrivate: string; readonly alicePublic: string; readonly bobPrivate: string; readonly bobPublic: string; readonly shared: string };
}

export const X25519_VECTORS = JSON.parse(readFileSync(new URL('../../fixtures/x25519/rfc7748.json', import.meta.url), 'utf8')) as X25519Fixtures;

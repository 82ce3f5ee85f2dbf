import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HsmClient } from '../../../src/client/hsm-client.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import type { RsaHash } from '../../../src/crypto/rsa/pkcs1.js';
import type { ServerConfig } from '../../../src/server/server-config.js';
import { testServer } from '../../helpers/server-fixture.js';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
export const big = (b: Uint8Array) => (b.length ? BigInt(`0x${hex(b)}`) : 0n);
export const bytesOf = (v: bigint, size: number) => unhex(v.toString(16).padStart(size * 2, '0'));

export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [m, a % m, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

const b64u = (v: bigint) => Buffer.from(v.toString(16).padStart(Math.ceil(v.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url');

export interface RsaNumbers {
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
}

/** A node private key from its numbers (the CRT values computed here). */
export function privateKeyOf({ n, e, d, p, q }: RsaNumbers): KeyObject {
  const jwk = { kty: 'RSA', n: b64u(n), e: b64u(e), d: b64u(d), p: b64u(p), q: b64u(q), dp: b64u(d % (p - 1n)), dq: b64u(d % (q - 1n)), qi: b64u(modInverse(q, p)) };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export function publicKeyOf(n: bigint, e: bigint): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: b64u(n), e: b64u(e) }, format: 'jwk' });
}

/** A key's DER in one of the encodings a stored RSA key may have (spec-crypto 16). */
export function derOf(key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'spki'): Uint8Array {
  return new Uint8Array(key.export({ type, format: 'der' }) as Buffer);
}

/** The modulus and exponent of a node key. */
export function numbersOf(key: KeyObject): { n: bigint; e: bigint; size: number } {
  const jwk = key.export({ format: 'jwk' });
  const n = big(Buffer.from(jwk.n ?? '', 'base64url'));
  return { n, e: big(Buffer.from(jwk.e ?? '', 'base64url')), size: Buffer.from(jwk.n ?? '', 'base64url').length };
}

/** A connected client on a server computing inline (or on `engine`). */
export function rsaClient(opts: { engine?: CryptoEngine; config?: Partial<ServerConfig> } = {}): { client: HsmClient; server: ReturnType<typeof testServer>['server'] } {
  const t = testServer({ cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS), ...(opts.config ? { config: opts.config } : {}) });
  return { server: t.server, client: t.connect().client };
}

export interface SigVerVector {
  readonly hash: RsaHash;
  readonly e: bigint;
  readonly d: bigint;
  readonly msg: Uint8Array;
  readonly s: Uint8Array;
  readonly pass: boolean;
  readonly result: string;
}

/** The CAVP SigVer PKCS#1 v1.5 excerpt (test/fixtures/rsa/PROVENANCE.md): the key and its vectors. */
export function cavpSigVer(): { n: bigint; p: bigint; q: bigint; vectors: SigVerVector[] } {
  const text = readFileSync(fileURLToPath(new URL('../../fixtures/rsa/SigVer15_186-3-mod1024.rsp', import.meta.url)), 'utf8');
  const field = (block: string, name: string) => {
    const m = new RegExp(`^${name} = (.+)$`, 'm').exec(block);
    if (!m) throw new Error(`no ${name} in a vector`);
    return m[1]!.trim();
  };
  const vectors = text
    .split(/\n\s*\n/)
    .filter((b) => b.includes('SHAAlg'))
    .map((b) => {
      const result = field(b, 'Result');
      return {
        hash: field(b, 'SHAAlg').toLowerCase() as RsaHash,
        e: BigInt(`0x${field(b, 'e')}`),
        d: BigInt(`0x${field(b, 'd')}`),
        msg: unhex(field(b, 'Msg')),
        s: unhex(field(b, 'S')),
        pass: result === 'P',
        result,
      };
    });
  return { n: BigInt(`0x${field(text, 'n')}`), p: BigInt(`0x${field(text, 'p')}`), q: BigInt(`0x${field(text, 'q')}`), vectors };
}

import { createHash } from 'node:crypto';
import { HsmClient } from '../../src/client/hsm-client.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import type { ClientTransport } from '../../src/ports/transport/transport.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import type { HashAlgorithm } from '../../src/client/crypto/hash.js';
import { ramFlash } from '../helpers/server-fixture.js';

/** The server as it ships (HASH family included), its jobs inline. */
export function hashServer() {
  const server = createHsmServer({ flash: ramFlash(), cryptoEngine: new InlineEngine(CRYPTO_JOBS) });
  /** A client whose transport counts requests. */
  const connect = () => {
    const raw = server.connectMemory().client;
    const counter = { requests: 0 };
    const transport: ClientTransport = {
      request: (p) => {
        counter.requests++;
        return raw.request(p);
      },
      close: () => raw.close(),
    };
    return { client: new HsmClient(transport), raw, counter };
  };
  return { server, connect };
}

export const ALGORITHMS: readonly HashAlgorithm[] = ['sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512'];

/** Block (SHA-2) or rate (SHA-3) in bytes. */
export const BLOCK: Readonly<Record<HashAlgorithm, number>> = {
  sha224: 64, sha256: 64, sha384: 128, sha512: 128, 'sha512-224': 128, 'sha512-256': 128,
  'sha3-224': 144, 'sha3-256': 136, 'sha3-384': 104, 'sha3-512': 72,
};

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
/** The oracle: node:crypto's one-shot digest. */
export const nodeDigest = (algorithm: HashAlgorithm, data: Uint8Array): string => createHash(algorithm).update(data).digest('hex');
/** Deterministic test bytes. */
export const pattern = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 8)) & 0xff);

import { createHash } from 'node:crypto';
import { HsmClient } from '../../src/client/hsm-client.js';
import { hashJobs } from '../../src/crypto/hash/jobs.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { WcAlgo } from '../../src/crypto/wolfcrypt.js';
import { cryptoHandler } from '../../src/handlers/crypto/crypto-handler.js';
import { DEFAULT_CRYPTO_FAMILIES } from '../../src/handlers/crypto/families/index.js';
import { hashFamily } from '../../src/handlers/crypto/families/hash.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { Group } from '../../src/protocol/groups.js';
import type { ClientTransport } from '../../src/ports/transport/transport.js';
import { createHsmServer } from '../../src/server/hsm-server.js';
import type { HashAlgorithm } from '../../src/client/crypto/hash.js';
import { ramFlash } from '../helpers/server-fixture.js';

/** A server with the HASH family and its jobs registered (as the lead will in the shared tables). */
export function hashServer() {
  const engine = new InlineEngine({ ...CRYPTO_JOBS, ...hashJobs });
  const server = createHsmServer({
    flash: ramFlash(),
    cryptoEngine: engine,
    handlers: { ...DEFAULT_HANDLERS, [Group.CRYPTO]: cryptoHandler({ engine, families: { ...DEFAULT_CRYPTO_FAMILIES, [WcAlgo.HASH]: hashFamily } }) },
  });
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

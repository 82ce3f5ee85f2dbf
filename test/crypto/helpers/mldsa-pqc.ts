import type { HsmClient } from '../../../src/client/hsm-client.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { WcAlgo } from '../../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../../src/protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../../../src/protocol/messages/crypto-header.js';
import type { ServerConfig } from '../../../src/server/server-config.js';
import { testServer } from '../../helpers/server-fixture.js';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

/** The big slot the PQC keys need (ML-DSA-87 key pair 7520 bytes, ML-KEM dk 3168). */
export const BIG_SLOTS: Partial<ServerConfig> = { keyCacheBigBufSize: 8192 };

/** A server (inline crypto, big slots unless `config` says otherwise) and a client that said COMM INIT 1. */
export async function pqcSetup(opts: { config?: Partial<ServerConfig>; engine?: CryptoEngine } = {}) {
  const t = testServer({ cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS), config: { ...BIG_SLOTS, ...opts.config } });
  const { client } = t.connect();
  await client.commInit(1);
  return { ...t, client };
}

/** One raw PK request: generic header (algoType, algoSubType) over `body` (whose first 12 bytes are replaced). */
export async function pkRequest(client: HsmClient, algoType: number, algoSubType: number, body: Uint8Array): Promise<{ algoType: number; rc: number; bytes: Uint8Array }> {
  const req = body.length >= 12 ? body : new Uint8Array(12);
  req.set(CryptoRequestHeader.encode({ algoType, algoSubType, affinity: 0 }, true), 0);
  const r = await client.request(kind(Group.CRYPTO, WcAlgo.PK), req);
  const h = CryptoResponseHeader.decode(r.bytes, true)!;
  return { algoType: h.algoType, rc: h.rc, bytes: r.bytes };
}

/** A request body of `size` bytes with u32 fields written at their payload offsets. */
export function body(size: number, fields: Readonly<Record<number, number>>, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(size + tail.length);
  const v = new DataView(out.buffer);
  for (const [off, value] of Object.entries(fields)) v.setUint32(Number(off), value >>> 0, true);
  out.set(tail, size);
  return out;
}

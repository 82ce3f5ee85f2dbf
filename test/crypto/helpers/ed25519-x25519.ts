import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { WcAlgo } from '../../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../../src/protocol/messages/crypto-header.js';
import type { HsmServerOptions } from '../../../src/server/hsm-server.js';
import type { HsmClient } from '../../../src/client/hsm-client.js';
import { testServer } from '../../helpers/server-fixture.js';

export { hex, unhex } from './trace-exchanges.js';

/** A server computing on the inline engine (or `engine`) and one connected client. */
export function pkServer(opts: Partial<HsmServerOptions> & { engine?: CryptoEngine } = {}) {
  const t = testServer({ ...opts, cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS) });
  return { ...t, client: t.connect().client };
}

/** A raw PK request: `body` is the payload after the generic header; answers rc and the whole response payload. */
export async function pkRaw(client: HsmClient, pkType: number, body: Uint8Array): Promise<{ rc: number; payload: Uint8Array }> {
  const payload = new Uint8Array(12 + body.length);
  payload.set(CryptoRequestHeader.encode({ algoType: pkType, algoSubType: 0, affinity: 0 }, true));
  payload.set(body, 12);
  const r = await client.request(kind(Group.CRYPTO, WcAlgo.PK), payload);
  return { rc: r.i32(4), payload: r.bytes };
}

/** Little-endian u32 fields, concatenated with trailing byte fields: a request body after the generic header. */
export function body(words: readonly number[], ...tails: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(words.length * 4 + tails.reduce((n, t) => n + t.length, 0));
  const v = new DataView(out.buffer);
  words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  let at = words.length * 4;
  for (const t of tails) {
    out.set(t, at);
    at += t.length;
  }
  return out;
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

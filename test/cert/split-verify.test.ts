import { beforeAll, describe, expect, it } from 'vitest';
import { CertFlags } from '../../src/cert/cert-codes.js';
import type { VerifyChainResult } from '../../src/cert/chain-verify.js';
import { CertJob } from '../../src/cert/jobs.js';
import type { CryptoEngine } from '../../src/crypto/engine.js';
import { WhError } from '../../src/errors.js';
import { certHandler } from '../../src/handlers/cert/cert-handler.js';
import { reply, type GroupHandler, type OwnerPort } from '../../src/handlers/handler-types.js';
import { ClientKeyFlag, KeyType, keyIdFromClient, keyIdToClient } from '../../src/keystore/key-id.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { Group } from '../../src/protocol/groups.js';
import { CertAction, CertVerifyRequest, CertVerifyResponse } from '../../src/protocol/messages/cert.js';
import { certEngine, certServer } from './helpers/cert-server.js';
import { makePki, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const LEAF_ID = ClientKeyFlag.GLOBAL | 0x30; // global, so the other client can look for it

/**
 * A deliberately broken VERIFY: the roots are read in one owner message and the leaf
 * key is cached in a second one with nothing re-checked, so a root erased in between
 * still "vouches" for the chain. Every other CERT request goes to the real handler.
 */
function splitVerify(engine: CryptoEngine): GroupHandler {
  const real = certHandler(engine, { now: () => AT });
  return async (ctx, req) => {
    if (req.action !== CertAction.VERIFY) return real(ctx, req);
    const le = req.header.littleEndian;
    const r = CertVerifyRequest.decode(req.payload, le)!;
    const f = ctx.config.keyFeatures;
    const keyId = keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, r.keyId, f);
    const answer = (rc: number, id: number) => reply(CertVerifyResponse.encode({ rc, keyId: keyIdToClient(id, f) }, le));
    const reads = await ctx.owner.call(ctx.session.sessionId, 'cert.verifyReads', { local: ctx.session.localCache, rootIds: [r.rootId], maxCertSize: 8192 });
    if (reads.rc !== 0) return answer(reads.rc, keyId);
    const args = { ...reads.value, chain: r.data.subarray(0, r.certLen), now: AT, wantLeafKey: (r.flags & CertFlags.CACHE_LEAF_PUBKEY) !== 0 };
    const v = await engine.run<VerifyChainResult>(CertJob.VERIFY_CHAIN, args, 0);
    if (v.rc !== 0 || !v.leafSpki) return answer(v.rc, keyId);
    const c = await ctx.owner.call(ctx.session.sessionId, 'key.cacheGenerated', {
      local: ctx.session.localCache,
      id: keyId,
      flags: r.cachedKeyFlags,
      label: new TextEncoder().encode('cert_pubkey'),
      data: v.leafSpki,
    });
    return c.rc === 0 ? answer(0, c.value) : answer(WhError.CERT_VERIFY, keyId);
  };
}

let pki: Pki;
beforeAll(async () => {
  pki = await makePki('ec', 'split', AT);
}, 60_000);

/**
 * Client A verifies with leaf-key caching and is held at the owner boundary right after
 * its root reads; meanwhile client B erases the root and then finds no leaf key. Then A
 * goes on. In a linearizable history A's key, appearing after B looked, puts A after the
 * erase, where there is no root: A must fail and cache nothing.
 */
async function interleaving(split: boolean) {
  const sessions: string[] = [];
  let reached!: () => void;
  const atGate = new Promise<void>((r) => (reached = r));
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let held = false;
  const engine = certEngine();
  const s = certServer({
    engine,
    cert: { now: () => AT },
    handlers: split ? { [Group.CERT]: splitVerify(engine) } : {},
    server: {
      interceptOwner: (port: OwnerPort, sessionId: string): OwnerPort => {
        sessions.push(sessionId);
        return {
          call: async (l, k, a) => {
            const res = await port.call(l, k, a);
            if (k === 'cert.verifyReads' && sessionId === sessions[0] && !held) {
              held = true;
              reached();
              await gate;
            }
            return res;
          },
          acquireLease: (l) => port.acquireLease(l),
          releaseLease: (l) => port.releaseLease(l),
        };
      },
    },
  });
  const a = s.connect().client;
  const b = s.connect().client;
  await a.commInit(1);
  await b.commInit(2);
  expect(await a.cert.addTrusted(0x42, pki.root)).toBe(0);

  const verifying = a.cert.verify(pki.chain, 0x42, { cacheLeafKey: { keyId: LEAF_ID, flags: NvmFlags.USAGE_VERIFY } });
  await atGate;
  expect(await b.cert.eraseTrusted(0x42)).toBe(0);
  const before = (await b.keyExport(LEAF_ID)).rc;
  open();
  const result = await verifying;
  const after = (await b.keyExport(LEAF_ID)).rc;
  return { result, before, after };
}

describe('CERT VERIFY with leaf caching is one atomic step: a split handler is caught by an interleaving', () => {
  it('the split handler answers success and publishes the key after the root was gone (not linearizable)', async () => {
    const { result, before, after } = await interleaving(true);
    expect(before).toBe(WhError.NOTFOUND);
    expect(result).toEqual({ rc: 0, keyId: LEAF_ID });
    expect(after).toBe(0);
  });

  it('the atomic handler notices the erased root at its commit, runs again under a lease: NOTFOUND, no key', async () => {
    const { result, before, after } = await interleaving(false);
    expect(before).toBe(WhError.NOTFOUND);
    expect(result).toEqual({ rc: WhError.NOTFOUND, keyId: LEAF_ID });
    expect(after).toBe(WhError.NOTFOUND);
  });
});

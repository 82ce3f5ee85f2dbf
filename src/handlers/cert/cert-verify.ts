import { CERT_MAX_VERIFY_ROOTS, CertFlags } from '../../cert/cert-codes.js';
import type { VerifyChainArgs, VerifyChainResult } from '../../cert/chain-verify.js';
import { CertJob } from '../../cert/jobs.js';
import { WhError } from '../../errors.js';
import { KeyType, keyIdFromClient, keyIdToClient } from '../../keystore/key-id.js';
import {
  CertVerifyDmaRequest,
  CertVerifyMultiRootDmaRequest,
  CertVerifyMultiRootRequest,
  CertVerifyRequest,
  CertVerifyResponse,
  rootIdList,
} from '../../protocol/messages/cert.js';
import { reply, withLease, type HandlerReply, type HandlerRequest } from '../handler-types.js';
import { runJob, type CertContext } from './cert-context.js';

/** One verification as the request asks for it (key id in server form). */
export interface VerifyParams {
  readonly chain: Uint8Array;
  readonly rootIds: readonly number[];
  readonly flags: number;
  readonly cachedKeyFlags: number;
  readonly keyId: number;
}

/** A verification's answer: its code and the key id (server form) to report. */
export interface VerifyOutcome {
  readonly rc: number;
  readonly keyId: number;
}

const STALE = 'stale' as const;

/**
 * One pass: the roots and verify-cache slots in one owner message, the walk on the
 * engine, then (if anything is to be written) one owner message that records the
 * verified CAs and caches the leaf key, refusing with `stale` if a root changed.
 */
async function attempt(c: CertContext, v: VerifyParams): Promise<VerifyOutcome | typeof STALE> {
  const { sessionId, localCache: local } = c.ctx.session;
  const reads = await c.ctx.owner.call(sessionId, 'cert.verifyReads', { local, rootIds: v.rootIds, maxCertSize: c.maxCertSize });
  if (reads.rc !== WhError.OK) return { rc: reads.rc, keyId: v.keyId };
  const { roots, readRc, cache } = reads.value;
  const args: VerifyChainArgs = { roots, readRc, chain: v.chain, now: c.now(), cache, wantLeafKey: (v.flags & CertFlags.CACHE_LEAF_PUBKEY) !== 0 };
  const res = await runJob<VerifyChainResult>(c, CertJob.VERIFY_CHAIN, args, v.chain.length);
  if ('notImplemented' in res) return { rc: WhError.NOTIMPL, keyId: v.keyId };
  const leaf = res.rc === WhError.OK && res.leafSpki ? { keyId: v.keyId, flags: v.cachedKeyFlags, spki: res.leafSpki } : null;
  if (!leaf && res.inserts.length === 0) return { rc: res.rc, keyId: v.keyId };
  const w = await c.ctx.owner.call(sessionId, 'cert.verifyCommit', { local, rootIds: v.rootIds, roots, maxCertSize: c.maxCertSize, inserts: res.inserts, leaf });
  if (w.stale) return STALE;
  if (res.rc !== WhError.OK || !leaf) return { rc: res.rc, keyId: v.keyId };
  // A leaf key that cannot be cached fails the verification (the id picked for it is still reported).
  return { rc: w.rc === WhError.OK ? WhError.OK : WhError.CERT_VERIFY, keyId: w.keyId ?? v.keyId };
}

/**
 * VERIFY and VERIFY_MULTI_ROOT (spec 1.3). The leaf key is cached only if the roots
 * are unchanged since they were read, so the outcome is that of one atomic step; if
 * another client changed a root meanwhile, the verification runs again inside a lease,
 * where nobody else's owner message can come in between.
 */
export async function verify(c: CertContext, v: VerifyParams): Promise<VerifyOutcome> {
  if (v.chain.length === 0 || v.rootIds.length === 0 || v.rootIds.length > CERT_MAX_VERIFY_ROOTS) return { rc: WhError.BADARGS, keyId: v.keyId };
  const first = await attempt(c, v);
  if (first !== STALE) return first;
  return withLease(
    c.ctx,
    async () => {
      const again = await attempt(c, v);
      return again === STALE ? { rc: WhError.ABORTED, keyId: v.keyId } : again; // unreachable under the lease
    },
    (rc) => ({ rc, keyId: v.keyId }),
  );
}

const answer = (c: CertContext, o: VerifyOutcome | { rc: number; keyId: null }): HandlerReply =>
  reply(CertVerifyResponse.encode({ rc: o.rc, keyId: o.keyId === null ? 0 : keyIdToClient(o.keyId, c.ctx.config.keyFeatures) }, c.le));

/** Malformed requests answer before any key id is translated: 0 in the response. */
const refused = (c: CertContext, rc: number) => answer(c, { rc, keyId: null });

const serverKeyId = (c: CertContext, clientKeyId: number) => keyIdFromClient(KeyType.CRYPTO, c.ctx.session.clientId, clientKeyId, c.ctx.config.keyFeatures);

async function verifyAnswer(c: CertContext, r: { flags: number; cachedKeyFlags: number; keyId: number }, chain: Uint8Array, rootIds: readonly number[]): Promise<HandlerReply> {
  return answer(c, await verify(c, { chain, rootIds, flags: r.flags, cachedKeyFlags: r.cachedKeyFlags, keyId: serverKeyId(c, r.keyId) }));
}

export async function verifyRequest(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const r = CertVerifyRequest.decode(req.payload, c.le);
  if (!r) return refused(c, WhError.ABORTED);
  if (r.certLen > r.data.length) return refused(c, WhError.BADARGS);
  return verifyAnswer(c, r, r.data.subarray(0, r.certLen), [r.rootId]);
}

export async function verifyMultiRootRequest(c: CertContext, req: HandlerRequest): Promise<HandlerReply> {
  const r = CertVerifyMultiRootRequest.decode(req.payload, c.le);
  if (!r) return refused(c, WhError.ABORTED);
  if (r.numRoots === 0 || r.numRoots > CERT_MAX_VERIFY_ROOTS) return refused(c, WhError.BADARGS);
  const rootBytes = 2 * r.numRoots;
  if (rootBytes > r.data.length || r.certLen > r.data.length - rootBytes) return refused(c, WhError.BADARGS);
  const rootIds = rootIdList(r.data, r.numRoots, c.le);
  return verifyAnswer(c, r, r.data.subarray(rootBytes, rootBytes + r.certLen), rootIds);
}

/** VERIFY_DMA and VERIFY_MULTI_ROOT_DMA: the chain comes from client memory. */
export async function verifyDmaRequest(c: CertContext, req: HandlerRequest, multiRoot: boolean): Promise<HandlerReply> {
  const codec = multiRoot ? CertVerifyMultiRootDmaRequest : CertVerifyDmaRequest;
  if (req.payload.length !== codec.size) return refused(c, WhError.ABORTED);
  const dma = c.ctx.dma;
  if (!dma) return refused(c, WhError.NOTIMPL);
  const r = multiRoot ? CertVerifyMultiRootDmaRequest.decode(req.payload, c.le)! : CertVerifyDmaRequest.decode(req.payload, c.le)!;
  const chain = await dma.read(r.certAddr, r.certLen);
  if (chain.rc !== WhError.OK) return refused(c, chain.rc);
  // An out-of-range root count reaches the verification (BADARGS, the key id translated) as in wolfHSM.
  const rootIds = 'rootIds' in r ? (r.numRoots > CERT_MAX_VERIFY_ROOTS ? new Array<number>(r.numRoots).fill(0) : rootIdList(r.rootIds, r.numRoots, c.le)) : [r.rootId];
  return verifyAnswer(c, r, chain.value, rootIds);
}

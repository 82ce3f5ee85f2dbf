import { WhError } from '../../errors.js';
import type { CryptoEngine } from '../../crypto/engine.js';
import type { CmacState } from '../../crypto/cmac/cmac.js';
import { CmacJob, type CmacUpdateArgs } from '../../crypto/cmac/jobs.js';
import { SheBootUpdateRequest } from '../../protocol/messages/she.js';
import type { HandlerContext, HandlerRequest } from '../handler-types.js';
import { statusReply } from './she-replies.js';
import { requestSizeOk } from './she-requests.js';

/** Snapshot-compute-commit rounds before an UPDATE that keeps losing to other boot requests answers BUSY. */
export const BOOT_UPDATE_ATTEMPTS = 8;

/**
 * SECURE_BOOT_UPDATE (2.8): the chunk can be as large as a request, so its CMAC runs
 * on the engine rather than in the owner. The owner checks and hands out a snapshot
 * of the running CMAC (with the boot state's epoch); the commit applies the result
 * only if the epoch is unchanged, else the update starts over on the new state. The
 * decision to advance is thus always taken in one owner turn on current state, and
 * concurrent updates are applied one after the other, never one on a stale state.
 */
export async function sheBootUpdate(engine: CryptoEngine, ctx: HandlerContext, req: HandlerRequest): Promise<Uint8Array> {
  const le = req.header.littleEndian;
  const lessee = ctx.session.sessionId;
  const who = { local: ctx.session.localCache, user: ctx.session.clientId };
  const sizeOk = requestSizeOk(req.action, req.payload, le, ctx.config.dataLen);
  const r = SheBootUpdateRequest.decode(req.payload, le);
  const sz = r?.sz ?? 0;
  for (let attempt = 0; attempt < BOOT_UPDATE_ATTEMPTS; attempt++) {
    const begin = await ctx.owner.call(lessee, 'she.bootUpdateBegin', { ...who, sz, sizeOk });
    if (!begin.work) return statusReply(begin, le);
    let cmac: CmacState | null;
    try {
      cmac = await engine.run<CmacState>(CmacJob.UPDATE, { key: begin.work.key, state: begin.work.cmac, input: r!.data.subarray(0, sz) } satisfies CmacUpdateArgs, sz);
    } catch {
      cmac = null;
    }
    const commit = await ctx.owner.call(lessee, 'she.bootUpdateCommit', { ...who, epoch: begin.work.epoch, sz, cmac });
    if (!commit.stale) return statusReply(commit, le);
  }
  return statusReply({ rc: WhError.SHE_BUSY, status: WhError.SHE_GENERAL_ERROR }, le);
}

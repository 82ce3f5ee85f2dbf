import { WhError, type WhRc } from '../../errors.js';
import type { CryptoEngine } from '../../crypto/engine.js';
import { AesJob } from '../../crypto/aes/jobs.js';
import type { AesCbcArgs, AesCbcResult } from '../../crypto/aes/cbc.js';
import type { AesEcbArgs, AesEcbResult } from '../../crypto/aes/ecb.js';
import { CmacJob, type CmacGenerateArgs, type CmacMacResult } from '../../crypto/cmac/jobs.js';
import { SheCbcRequest, SheEcbRequest, SheGenMacRequest, SheVerifyMacRequest } from '../../protocol/messages/she.js';
import { SHE_KEY_SIZE, SheAction } from '../../she/she-constants.js';
import { sameBytes } from '../../she/she-crypto.js';
import type { HandlerContext, HandlerRequest } from '../handler-types.js';
import { cipherReply, genMacReply, verifyMacReply } from './she-replies.js';
import { cipherLength, requestSizeOk } from './she-requests.js';

/**
 * ENC/DEC ECB/CBC, GEN_MAC and VERIFY_MAC (2.11): one owner message for the gate
 * and a copy of the key, then AES or CMAC on the engine with the shared AES/CMAC
 * jobs, outside the owner.
 */

/** The job's answer, or null when it failed (or the engine did): GENERAL_ERROR, as a wolfCrypt failure is in wolfHSM. */
async function run<T extends { rc: number }>(engine: CryptoEngine, job: string, args: unknown, cost: number): Promise<T | null> {
  try {
    const r = await engine.run<T>(job, args, cost);
    return r.rc === 0 ? r : null;
  } catch {
    return null;
  }
}

async function withKey(ctx: HandlerContext, req: HandlerRequest, slot: number): Promise<{ rc: WhRc; key?: Uint8Array }> {
  const sizeOk = requestSizeOk(req.action, req.payload, req.header.littleEndian, ctx.config.dataLen);
  return ctx.owner.call(ctx.session.sessionId, 'she.useKey', { local: ctx.session.localCache, user: ctx.session.clientId, action: req.action, slot, sizeOk });
}

export async function sheCipher(engine: CryptoEngine, ctx: HandlerContext, req: HandlerRequest): Promise<Uint8Array> {
  const le = req.header.littleEndian;
  const ecb = req.action === SheAction.ENC_ECB || req.action === SheAction.DEC_ECB;
  const encrypt = req.action === SheAction.ENC_ECB || req.action === SheAction.ENC_CBC;
  const head = ecb ? SheEcbRequest.size : SheCbcRequest.size;
  const slot = req.payload.length >= 5 ? req.payload[4]! : 0;
  const k = await withKey(ctx, req, slot);
  if (k.rc !== WhError.OK) return cipherReply(k.rc, null, le);
  const key = k.key!;
  // DEC_CBC reads the key for an exact 16-byte length and calls a wrong one unavailable; the others fail in AES.
  if (key.length !== SHE_KEY_SIZE) return cipherReply(req.action === SheAction.DEC_CBC ? WhError.SHE_KEY_NOT_AVAILABLE : WhError.SHE_GENERAL_ERROR, null, le);
  const len = cipherLength(req.payload, le);
  const input = req.payload.slice(head, head + len);
  const output = ecb
    ? (await run<Extract<AesEcbResult, { output: Uint8Array }>>(engine, AesJob.ECB, { key, encrypt, input } satisfies AesEcbArgs, len))?.output
    : (await run<Extract<AesCbcResult, { output: Uint8Array }>>(engine, AesJob.CBC, { key, encrypt, iv: SheCbcRequest.decode(req.payload, le)!.iv, input } satisfies AesCbcArgs, len))?.output;
  return output ? cipherReply(WhError.OK, output, le) : cipherReply(WhError.SHE_GENERAL_ERROR, null, le);
}

async function cmac(engine: CryptoEngine, key: Uint8Array, input: Uint8Array): Promise<Uint8Array | null> {
  const r = await run<Extract<CmacMacResult, { mac: Uint8Array }>>(engine, CmacJob.GENERATE, { key, input, outSz: 16 } satisfies CmacGenerateArgs, input.length);
  return r?.mac ?? null;
}

export async function sheGenMac(engine: CryptoEngine, ctx: HandlerContext, req: HandlerRequest): Promise<Uint8Array> {
  const le = req.header.littleEndian;
  const r = SheGenMacRequest.decode(req.payload, le);
  const k = await withKey(ctx, req, r ? r.keyId & 0xff : 0);
  if (k.rc !== WhError.OK) return genMacReply(k.rc, null, le);
  if (k.key!.length !== SHE_KEY_SIZE) return genMacReply(WhError.SHE_KEY_NOT_AVAILABLE, null, le);
  const mac = await cmac(engine, k.key!, r!.data.subarray(0, r!.sz));
  return mac ? genMacReply(WhError.OK, mac, le) : genMacReply(WhError.SHE_GENERAL_ERROR, null, le);
}

/** A mismatch (or a CMAC failure) is rc 0 with status 1; the first min(macLen, 16) bytes are compared, macLen 0 never matches. */
export async function sheVerifyMac(engine: CryptoEngine, ctx: HandlerContext, req: HandlerRequest): Promise<Uint8Array> {
  const le = req.header.littleEndian;
  const r = SheVerifyMacRequest.decode(req.payload, le);
  const k = await withKey(ctx, req, r ? r.keyId & 0xff : 0);
  if (k.rc !== WhError.OK) return verifyMacReply(k.rc, false, le);
  if (k.key!.length !== SHE_KEY_SIZE) return verifyMacReply(WhError.SHE_KEY_NOT_AVAILABLE, false, le);
  const message = r!.data.subarray(0, r!.messageLen);
  const given = r!.data.subarray(r!.messageLen, r!.messageLen + r!.macLen);
  const mac = await cmac(engine, k.key!, message);
  const n = Math.min(given.length, 16);
  return verifyMacReply(WhError.OK, mac !== null && n > 0 && sameBytes(mac.subarray(0, n), given.subarray(0, n)), le);
}

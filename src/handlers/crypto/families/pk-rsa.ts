import { WORKER_COST } from '../../../crypto/engine.js';
import type { RsaFunctionArgs, RsaGenerateArgs, RsaSizeResult } from '../../../crypto/rsa/jobs.js';
import type { RsaKeyPairResult } from '../../../crypto/rsa/keygen.js';
import {
  RSA_INPUT_OFFSET,
  RSA_KEYGEN_DER_OFFSET,
  RSA_OPTIONS_EVICT,
  RSA_OUTPUT_OFFSET,
  RsaGetSizeRequest,
  RsaKeyGenRequest,
  RsaOp,
  RsaRequest,
} from '../../../crypto/rsa/messages.js';
import type { RsaFunctionResult } from '../../../crypto/rsa/raw.js';
import { WcError, WcPk } from '../../../crypto/wolfcrypt.js';
import { WhError, type Result } from '../../../errors.js';
import type { KeyMaterial } from '../../../keystore/keystore.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoRequest } from '../crypto-types.js';
import type { PkFamilies } from './pk.js';

/**
 * The slot an RSA key is cached in: wolfHSM asks for the big-slot size whatever the
 * key (the DER size is not known before serialising), or the regular size without big slots.
 */
function rsaSlotSize(ctx: CryptoContext): number {
  const c = ctx.handler.config;
  return c.keyCacheBigCount > 0 ? c.keyCacheBigBufSize : c.keyCacheBufSize;
}

/** RSA_KEYGEN (spec-crypto 9.1): generate on the engine, then return the key or cache it (one owner message). */
async function keyGen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = RsaKeyGenRequest.decode(req.payload, req.littleEndian);
  if (!r) return { rc: WhError.BADARGS };
  const pair = await ctx.engine.run<RsaKeyPairResult>('rsa.generate', { size: r.size, e: r.e } satisfies RsaGenerateArgs, WORKER_COST);
  if (!('privateKey' in pair)) return { rc: pair.rc };
  const room = ctx.handler.config.dataLen - RSA_KEYGEN_DER_OFFSET;
  try {
    if (r.flags & NvmFlags.EPHEMERAL) {
      // wc_RsaKeyToDer into the response: a buffer too small is BAD_FUNC_ARG.
      if (pair.privateKey.length > room) return { rc: WcError.BAD_FUNC_ARG };
      return { rc: 0, payload: keyGenReply(req, 0, pair.privateKey) };
    }
    // The C server serialises into the slot it reserved; a DER larger than the slot fails there.
    const slot = rsaSlotSize(ctx);
    if (pair.privateKey.length > slot) return { rc: WcError.BAD_FUNC_ARG };
    const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, pair.privateKey, slot);
    if (cached.rc !== WhError.OK) return { rc: cached.rc };
    // Best effort: the SPKI when it fits in the response, else an empty body (the key stays cached).
    const spki = pair.publicKey.length <= room ? pair.publicKey : new Uint8Array(0);
    return { rc: 0, payload: keyGenReply(req, cached.value, spki) };
  } finally {
    pair.privateKey.fill(0);
  }
}

function keyGenReply(req: CryptoRequest, keyId: number, der: Uint8Array): Uint8Array {
  return responsePayload(RSA_KEYGEN_DER_OFFSET + der.length, req.littleEndian).u32(12, keyId).u32(16, der.length).set(RSA_KEYGEN_DER_OFFSET, der).bytes;
}

/**
 * The usage rule of the RSA function (spec-keys-crypto 2.2): ENCRYPT for ops 0 and 2,
 * DECRYPT for 1 and 3; a USAGE failure of op 1 (a verify) retries with VERIFY, of
 * op 2 (a sign) with SIGN. Each attempt is one owner message (freshen, usage, copy).
 */
async function loadForFunction(ctx: CryptoContext, keyId: number, op: number): Promise<Result<KeyMaterial>> {
  const encrypting = op === RsaOp.PUBLIC_ENCRYPT || op === RsaOp.PRIVATE_ENCRYPT;
  const key = await ctx.keys.loadForUse(keyId, encrypting ? NvmFlags.USAGE_ENCRYPT : NvmFlags.USAGE_DECRYPT);
  if (key.rc !== WhError.USAGE) return key;
  if (op === RsaOp.PUBLIC_DECRYPT) return ctx.keys.loadForUse(keyId, NvmFlags.USAGE_VERIFY);
  if (op === RsaOp.PRIVATE_ENCRYPT) return ctx.keys.loadForUse(keyId, NvmFlags.USAGE_SIGN);
  return key;
}

/** RSA (spec-crypto 9.2): the raw RSA function on a stored key; EVICT afterwards even on failure. */
async function rsaFunction(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = RsaRequest.decode(req.payload, req.littleEndian);
  if (!r || r.inLen > req.payload.length - RSA_INPUT_OFFSET) return { rc: WhError.BADARGS };
  // An unknown op is refused before the key is touched, and without the EVICT option.
  if (r.opType > RsaOp.PRIVATE_DECRYPT) return { rc: WcError.BAD_FUNC_ARG };
  let answer: CryptoAnswer;
  const key = await loadForFunction(ctx, r.keyId, r.opType);
  if (key.rc !== WhError.OK) answer = { rc: key.rc };
  else {
    const input = req.payload.subarray(RSA_INPUT_OFFSET, RSA_INPUT_OFFSET + r.inLen);
    const isPrivate = r.opType === RsaOp.PRIVATE_ENCRYPT || r.opType === RsaOp.PRIVATE_DECRYPT;
    const args: RsaFunctionArgs = { key: key.value.data, op: r.opType, input, outLen: r.outLen };
    const out = await ctx.engine.run<RsaFunctionResult>('rsa.function', args, isPrivate ? WORKER_COST : r.inLen);
    key.value.data.fill(0);
    answer = 'out' in out ? { rc: 0, payload: functionReply(req, out.out) } : { rc: out.rc };
  }
  if (r.options & RSA_OPTIONS_EVICT) await ctx.keys.evictAfterUse(r.keyId);
  return answer;
}

function functionReply(req: CryptoRequest, out: Uint8Array): Uint8Array {
  return responsePayload(RSA_OUTPUT_OFFSET + out.length, req.littleEndian).u32(12, out.length).set(RSA_OUTPUT_OFFSET, out).bytes;
}

/** RSA_GET_SIZE (spec-crypto 9.3): the modulus length in bytes; no usage required; EVICT afterwards. */
async function getSize(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = RsaGetSizeRequest.decode(req.payload, req.littleEndian);
  if (!r) return { rc: WhError.BADARGS };
  let answer: CryptoAnswer;
  const key = await ctx.keys.loadForUse(r.keyId, 0);
  if (key.rc !== WhError.OK) answer = { rc: key.rc };
  else {
    const size = await ctx.engine.run<RsaSizeResult>('rsa.size', { key: key.value.data }, key.value.data.length);
    key.value.data.fill(0);
    answer = 'size' in size ? { rc: 0, payload: responsePayload(16, req.littleEndian).u32(12, size.size).bytes } : { rc: size.rc };
  }
  if (r.options & RSA_OPTIONS_EVICT) await ctx.keys.evictAfterUse(r.keyId);
  return answer;
}

/** RSA PK types (spec-crypto 9): handlers by algoType. */
export const rsaPkFamilies: PkFamilies = {
  [WcPk.RSA_KEYGEN]: keyGen,
  [WcPk.RSA]: rsaFunction,
  [WcPk.RSA_GET_SIZE]: getSize,
};

import { decodeZeroPadded } from '../../../protocol/struct.js';
import { isErasedKeyId } from '../../../keystore/key-id.js';
import { WhError } from '../../../errors.js';
import { WORKER_COST } from '../../../crypto/engine.js';
import type { MlDsaKeygenResult, MlDsaSignResult, MlDsaVerifyResult } from '../../../crypto/mldsa/jobs.js';
import { MLDSA_MAX_CONTEXT, MlDsaKeyGenRequest, MlDsaKeyGenResponse, MlDsaOption, MlDsaSignRequest, MlDsaSignResponse, MlDsaVerifyRequest, MlDsaVerifyResponse } from '../../../crypto/mldsa/messages.js';
import { MLDSA_CACHE_RESERVE, MLDSA_FAMILY, isMlDsaLevel } from '../../../crypto/mldsa/params.js';
import { WcError, WcPk } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';
import { evictThen } from '../crypto-keys.js';
import type { PkFamilies } from './pk.js';


/** PQC_SIG_KEYGEN (spec-crypto 13): EPHEMERAL returns the key-pair DER, otherwise it is cached and the SPKI comes back. */
async function keygen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = decodeZeroPadded(MlDsaKeyGenRequest, req.payload, le);
  if (!isMlDsaLevel(r.level)) return { rc: WhError.BADARGS };
  const seed = await ctx.keys.random(32);
  const key = await ctx.engine.run<MlDsaKeygenResult>('mldsa.keygen', { level: r.level, seed }, WORKER_COST);
  seed.fill(0);
  const room = ctx.handler.config.dataLen - MlDsaKeyGenResponse.size;
  const answer = (keyId: number, data: Uint8Array): CryptoAnswer => ({
    rc: 0,
    payload: responsePayload(MlDsaKeyGenResponse.size + data.length, le).u32(12, keyId).u32(16, data.length).set(MlDsaKeyGenResponse.size, data).bytes,
  });
  if (r.flags & NvmFlags.EPHEMERAL) {
    if (key.privateKey.length > room) return { rc: WcError.BUFFER_E };
    // The erased id in client form: 0x0100 where global keys exist, as wolfHSM answers.
    return answer(ctx.keys.clientId(0), key.privateKey);
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, key.privateKey, MLDSA_CACHE_RESERVE);
  key.privateKey.fill(0);
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  // Best effort: the public key only when it fits the response.
  return answer(cached.value, key.publicKey.length <= room ? key.publicKey : new Uint8Array(0));
}

/**
 * PQC_SIG_SIGN: pure ML-DSA with context (preHashType 0) or HashML-DSA over the
 * client's digest, hedged with server randomness. wolfHSM checks usage before the
 * sizes and returns size errors without the EVICT step; that order is kept.
 */
async function sign(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = decodeZeroPadded(MlDsaSignRequest, req.payload, le);
  const evict = (r.options & MlDsaOption.EVICT) !== 0;
  let key: Uint8Array | undefined;
  if (!isErasedKeyId(r.keyId)) {
    const loaded = await ctx.keys.loadForUse(r.keyId, NvmFlags.USAGE_SIGN);
    if (loaded.rc !== WhError.OK) return evictThen(ctx, r.keyId, evict, { rc: loaded.rc });
    key = loaded.value.data;
  }
  try {
    const available = req.payload.length - MlDsaSignRequest.size;
    if (available < 0 || r.sz > available || r.contextSz > available - r.sz || r.contextSz > MLDSA_MAX_CONTEXT) return { rc: WhError.BADARGS };
    if (!key) return evictThen(ctx, r.keyId, evict, { rc: WhError.BADARGS });
    const at = MlDsaSignRequest.size;
    const args = {
      key,
      message: req.payload.subarray(at, at + r.sz),
      context: req.payload.subarray(at + r.sz, at + r.sz + r.contextSz),
      preHashType: r.preHashType,
      rnd: await ctx.keys.random(32),
      maxSignature: ctx.handler.config.dataLen - MlDsaSignResponse.size,
    };
    const out = await ctx.engine.run<MlDsaSignResult>('mldsa.sign', args, WORKER_COST);
    args.rnd.fill(0);
    if (!('signature' in out)) return evictThen(ctx, r.keyId, evict, { rc: out.rc });
    const payload = responsePayload(MlDsaSignResponse.size + out.signature.length, le).u32(12, out.signature.length).set(MlDsaSignResponse.size, out.signature).bytes;
    return evictThen(ctx, r.keyId, evict, { rc: 0, payload });
  } finally {
    key?.fill(0);
  }
}

/** PQC_SIG_VERIFY: a wrong signature is rc 0 with res 0; the same ordering rules as sign. */
async function verify(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = decodeZeroPadded(MlDsaVerifyRequest, req.payload, le);
  const evict = (r.options & MlDsaOption.EVICT) !== 0;
  let key: Uint8Array | undefined;
  if (!isErasedKeyId(r.keyId)) {
    const loaded = await ctx.keys.loadForUse(r.keyId, NvmFlags.USAGE_VERIFY);
    if (loaded.rc !== WhError.OK) return evictThen(ctx, r.keyId, evict, { rc: loaded.rc });
    key = loaded.value.data;
  }
  try {
    const available = req.payload.length - MlDsaVerifyRequest.size;
    if (available < 0 || r.sigSz > available || r.hashSz > available - r.sigSz) return { rc: WhError.BADARGS };
    if (r.contextSz > available - r.sigSz - r.hashSz || r.contextSz > MLDSA_MAX_CONTEXT) return { rc: WhError.BADARGS };
    if (!key) return evictThen(ctx, r.keyId, evict, { rc: WhError.BADARGS });
    let at = MlDsaVerifyRequest.size;
    const take = (n: number) => req.payload.subarray(at, (at += n));
    const args = { key, signature: take(r.sigSz), message: take(r.hashSz), context: take(r.contextSz), preHashType: r.preHashType };
    const out = await ctx.engine.run<MlDsaVerifyResult>('mldsa.verify', args, WORKER_COST);
    if (!('valid' in out)) return evictThen(ctx, r.keyId, evict, { rc: out.rc });
    return evictThen(ctx, r.keyId, evict, { rc: 0, payload: responsePayload(MlDsaVerifyResponse.size, le).u32(12, out.valid ? 1 : 0).bytes });
  } finally {
    key?.fill(0);
  }
}

const noHandler: CryptoFamily = async () => ({ rc: WhError.NOHANDLER });

/**
 * The ML-DSA PK types for a given signature family number (algoSubType); another
 * family is NOHANDLER, as is CHECK_PRIV_KEY (wolfHSM has no implementation of it).
 */
export function mldsaPkFamiliesFor(family: number): PkFamilies {
  const only =
    (fn: CryptoFamily): CryptoFamily =>
    (ctx, req) =>
      req.algoSubType === family ? fn(ctx, req) : noHandler(ctx, req);
  return {
    [WcPk.PQC_SIG_KEYGEN]: only(keygen),
    [WcPk.PQC_SIG_SIGN]: only(sign),
    [WcPk.PQC_SIG_VERIFY]: only(verify),
    [WcPk.PQC_SIG_CHECK_PRIV_KEY]: noHandler,
  };
}

/** ML-DSA PK types (spec-crypto 13): handlers by algoType. */
export const mldsaPkFamilies: PkFamilies = mldsaPkFamiliesFor(MLDSA_FAMILY);

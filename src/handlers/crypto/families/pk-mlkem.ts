import { isErasedKeyId } from '../../../keystore/key-id.js';
import { WhError } from '../../../errors.js';
import { WORKER_COST } from '../../../crypto/engine.js';
import type { MlKemDecapsResult, MlKemEncapsResult, MlKemKeygenResult } from '../../../crypto/mlkem/jobs.js';
import { MlKemDecapsRequest, MlKemDecapsResponse, MlKemEncapsRequest, MlKemEncapsResponse, MlKemKeyGenRequest, MlKemKeyGenResponse, MlKemOption } from '../../../crypto/mlkem/messages.js';
import { MLKEM_CACHE_RESERVE, MLKEM_FAMILY, isMlKemLevel } from '../../../crypto/mlkem/params.js';
import { WcPk } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';
import { evictThen } from '../crypto-keys.js';
import type { PkFamilies } from './pk.js';


/** PQC_KEM_KEYGEN (spec-crypto 14): EPHEMERAL returns the raw dk; otherwise dk is cached and ek comes back. */
async function keygen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = MlKemKeyGenRequest.decode(req.payload, le);
  if (!r || !isMlKemLevel(r.level)) return { rc: WhError.BADARGS };
  const seed = await ctx.keys.random(64);
  const key = await ctx.engine.run<MlKemKeygenResult>('mlkem.keygen', { level: r.level, seed }, WORKER_COST);
  seed.fill(0);
  const room = ctx.handler.config.dataLen - MlKemKeyGenResponse.size;
  const answer = (keyId: number, data: Uint8Array): CryptoAnswer => ({
    rc: 0,
    payload: responsePayload(MlKemKeyGenResponse.size + data.length, le).u32(12, keyId).u32(16, data.length).set(MlKemKeyGenResponse.size, data).bytes,
  });
  if (r.flags & NvmFlags.EPHEMERAL) {
    if (key.dk.length > room) return { rc: WhError.BADARGS };
    return answer(ctx.keys.clientId(0), key.dk);
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, key.dk, MLKEM_CACHE_RESERVE);
  key.dk.fill(0);
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  return answer(cached.value, key.ek.length <= room ? key.ek : new Uint8Array(0));
}

/**
 * The common start of encapsulate and decapsulate, in wolfHSM's order: usage DERIVE
 * (one owner step, key bytes and verdict together), then the level, then (the
 * caller's) size checks; a key id of number 0 fails the load with BADARGS.
 */
async function loadKemKey(ctx: CryptoContext, keyId: number, level: number): Promise<{ rc: number; key?: Uint8Array }> {
  let key: Uint8Array | undefined;
  if (!isErasedKeyId(keyId)) {
    const loaded = await ctx.keys.loadForUse(keyId, NvmFlags.USAGE_DERIVE);
    if (loaded.rc !== WhError.OK) return { rc: loaded.rc };
    key = loaded.value.data;
  }
  if (!isMlKemLevel(level)) {
    key?.fill(0);
    return { rc: WhError.BADARGS };
  }
  return key ? { rc: 0, key } : { rc: WhError.BADARGS };
}

/** PQC_KEM_ENCAPS: ciphertext and shared secret from the stored key, with server randomness. */
async function encapsulate(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = MlKemEncapsRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const evict = (r.options & MlKemOption.EVICT) !== 0;
  const loaded = await loadKemKey(ctx, r.keyId, r.level);
  if (!loaded.key) return evictThen(ctx, r.keyId, evict, { rc: loaded.rc });
  const m = await ctx.keys.random(32);
  const args = { key: loaded.key, level: r.level, m, maxOut: ctx.handler.config.dataLen - MlKemEncapsResponse.size };
  const out = await ctx.engine.run<MlKemEncapsResult>('mlkem.encapsulate', args, WORKER_COST);
  loaded.key.fill(0);
  m.fill(0);
  if (!('ct' in out)) return evictThen(ctx, r.keyId, evict, { rc: out.rc });
  const size = MlKemEncapsResponse.size + out.ct.length + out.ss.length;
  const w = responsePayload(size, le).u32(12, out.ct.length).u32(16, out.ss.length).set(MlKemEncapsResponse.size, out.ct).set(MlKemEncapsResponse.size + out.ct.length, out.ss);
  out.ss.fill(0);
  return evictThen(ctx, r.keyId, evict, { rc: 0, payload: w.bytes });
}

/** PQC_KEM_DECAPS: the shared secret of a ciphertext under the stored decapsulation key. */
async function decapsulate(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = MlKemDecapsRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const evict = (r.options & MlKemOption.EVICT) !== 0;
  const loaded = await loadKemKey(ctx, r.keyId, r.level);
  if (loaded.rc === WhError.OK && r.ctSz > req.payload.length - MlKemDecapsRequest.size) {
    loaded.key?.fill(0);
    return evictThen(ctx, r.keyId, evict, { rc: WhError.BADARGS });
  }
  if (!loaded.key) return evictThen(ctx, r.keyId, evict, { rc: loaded.rc });
  const ct = req.payload.subarray(MlKemDecapsRequest.size, MlKemDecapsRequest.size + r.ctSz);
  const args = { key: loaded.key, level: r.level, ct, maxOut: ctx.handler.config.dataLen - MlKemDecapsResponse.size };
  const out = await ctx.engine.run<MlKemDecapsResult>('mlkem.decapsulate', args, WORKER_COST);
  loaded.key.fill(0);
  if (!('ss' in out)) return evictThen(ctx, r.keyId, evict, { rc: out.rc });
  const payload = responsePayload(MlKemDecapsResponse.size + out.ss.length, le).u32(12, out.ss.length).set(MlKemDecapsResponse.size, out.ss).bytes;
  out.ss.fill(0);
  return evictThen(ctx, r.keyId, evict, { rc: 0, payload });
}

/** The ML-KEM PK types for a given KEM family number (algoSubType); another family is NOHANDLER. */
export function mlkemPkFamiliesFor(family: number): PkFamilies {
  const only =
    (fn: CryptoFamily): CryptoFamily =>
    async (ctx, req) =>
      req.algoSubType === family ? fn(ctx, req) : { rc: WhError.NOHANDLER };
  return {
    [WcPk.PQC_KEM_KEYGEN]: only(keygen),
    [WcPk.PQC_KEM_ENCAPS]: only(encapsulate),
    [WcPk.PQC_KEM_DECAPS]: only(decapsulate),
  };
}

/** ML-KEM PK types (spec-crypto 14): handlers by algoType. */
export const mlkemPkFamilies: PkFamilies = mlkemPkFamiliesFor(MLKEM_FAMILY);

import { WhError } from '../../../errors.js';
import { WORKER_COST } from '../../../crypto/engine.js';
import { curveById, curveBySize, ECC_MAX_SIZE } from '../../../crypto/ecc/curves.js';
import { decodeEccKey } from '../../../crypto/ecc/key.js';
import type { EccFailure, EccKeyGenResult, EccMakePubResult, EccSignResult, EccVerifyResult, EcdhResult } from '../../../crypto/ecc/jobs.js';
import {
  ECC_CACHE_RESERVE,
  EccCheckRequest,
  EccKeyGenRequest,
  EccKeyGenResponse,
  EccMakePubRequest,
  EccMakePubResponse,
  EccOption,
  EccSignRequest,
  EccSignResponse,
  EccVerifyRequest,
  EccVerifyResponse,
  EcdhRequest,
  EcdhResponse,
} from '../../../crypto/ecc/messages.js';
import { WcCurve, WcError, WcPk } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';
import type { PkFamilies } from './pk.js';

const fail = (rc: number): CryptoAnswer => ({ rc });

/** One stored key, loaded for use (one owner message: freshen, usage check, copy). */
async function load(ctx: CryptoContext, keyId: number, usage: number): Promise<{ rc: number; data?: Uint8Array }> {
  const k = await ctx.keys.loadForUse(keyId, usage);
  return k.rc === WhError.OK ? { rc: 0, data: k.value.data } : { rc: k.rc };
}

/** The EVICT option: a separate owner step after the operation, run even when it failed. */
async function evictIf(ctx: CryptoContext, wanted: boolean, keyId: number): Promise<void> {
  if (wanted) await ctx.keys.evictAfterUse(keyId);
}

/**
 * Engine cost of a point multiplication on these keys: OpenSSL's P-256 takes well
 * under 0.2 ms (inline); P-384, P-521 and secp256k1 take milliseconds (a worker).
 * Decoding the DER to learn the curve costs microseconds.
 */
function pointCost(...keys: Uint8Array[]): number {
  return keys.every((k) => {
    const d = decodeEccKey(k);
    return !('key' in d) || d.key.curve.id === WcCurve.SECP256R1;
  })
    ? 0
    : WORKER_COST;
}

/** The bytes after a request struct: `sizes` consecutive fields, or null when they do not fit the payload. */
function tail(payload: Uint8Array, start: number, sizes: readonly number[]): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let at = start;
  for (const size of sizes) {
    if (size > payload.length - at) return null;
    out.push(payload.subarray(at, (at += size)));
  }
  return out;
}

/**
 * wc_ecc_make_key_ex's curve: by id, else (id 0, or negative as a C int) the
 * first curve at least `sz` bytes; a size over ECC_MAXSIZE is ECC_BAD_ARG_E, no
 * size and no id BAD_FUNC_ARG, an id this build lacks ECC_CURVE_OID_E.
 */
function keygenCurve(sz: number, curveId: number): { rc: number; id?: number } {
  const id = curveId | 0;
  const size = sz | 0;
  if (id > 0) {
    const c = curveById(id);
    return c ? { rc: 0, id: c.id } : { rc: WcError.ECC_CURVE_OID_E };
  }
  if (size <= 0 && id < 0) return { rc: WcError.BAD_FUNC_ARG };
  if (size > ECC_MAX_SIZE) return { rc: WcError.ECC_BAD_ARG_E };
  const c = curveBySize(size);
  return c ? { rc: 0, id: c.id } : { rc: WcError.ECC_CURVE_OID_E };
}

function keygenAnswer(le: boolean, keyId: number, der: Uint8Array): CryptoAnswer {
  return { rc: 0, payload: responsePayload(EccKeyGenResponse.size + der.length, le).u32(12, keyId).u32(16, der.length).set(EccKeyGenResponse.size, der).bytes };
}

/**
 * EC_KEYGEN (spec-crypto 10.1): the private scalar from the server's RNG. EPHEMERAL
 * returns the SEC1 DER under the id wolfHSM gives an erased one (0x0100 with
 * global keys); otherwise the DER is cached in a big slot (257 bytes reserved, as
 * wolfHSM asks) and the SPKI comes back.
 */
async function keygen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EccKeyGenRequest.decode(req.payload, le);
  if (!r) return fail(WhError.BADARGS);
  const curve = keygenCurve(r.sz, r.curveId);
  if (curve.id === undefined) return fail(curve.rc);
  const seed = await ctx.keys.random(curveById(curve.id)!.size + 8);
  const key = await ctx.engine.run<EccKeyGenResult>('ecc.keygen', { curveId: curve.id, seed }, WORKER_COST);
  seed.fill(0);
  if (!('der' in key)) return fail(key.rc);
  const room = ctx.handler.config.dataLen - EccKeyGenResponse.size;
  if (r.flags & NvmFlags.EPHEMERAL) {
    const out = key.der.length <= room ? keygenAnswer(le, ctx.keys.clientId(0), key.der) : fail(WcError.BUFFER_E);
    key.der.fill(0);
    return out;
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, key.der, ECC_CACHE_RESERVE);
  key.der.fill(0);
  if (cached.rc !== WhError.OK) return fail(cached.rc);
  return keygenAnswer(le, cached.value, key.spki.length <= room ? key.spki : new Uint8Array(0));
}

/** ECDSA_SIGN (spec-crypto 10.3): usage SIGN, the client's digest, random k from the server's RNG. */
async function sign(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EccSignRequest.decode(req.payload, le);
  const parts = r && tail(req.payload, EccSignRequest.size, [r.sz]);
  if (!r || !parts) return fail(WhError.BADARGS);
  const key = await load(ctx, r.keyId, NvmFlags.USAGE_SIGN);
  let answer: CryptoAnswer = fail(key.rc);
  if (key.data) {
    const entropy = await ctx.keys.random(32);
    const out = await ctx.engine.run<EccSignResult>('ecc.sign', { key: key.data, digest: parts[0]!, entropy }, WORKER_COST);
    key.data.fill(0);
    if ('signature' in out) {
      const s = out.signature;
      answer = s.length <= ctx.handler.config.dataLen - EccSignResponse.size
        ? { rc: 0, payload: responsePayload(EccSignResponse.size + s.length, le).u32(12, s.length).set(EccSignResponse.size, s).bytes }
        : fail(WcError.BUFFER_E);
    } else answer = fail(out.rc);
  }
  await evictIf(ctx, (r.options & EccOption.EVICT) !== 0, r.keyId);
  return answer;
}

/** ECDSA_VERIFY (spec-crypto 10.4): usage VERIFY; res 1/0 on rc 0, the SPKI too with EXPORTPUB. */
async function verify(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EccVerifyRequest.decode(req.payload, le);
  const parts = r && tail(req.payload, EccVerifyRequest.size, [r.sigSz, r.hashSz]);
  if (!r || !parts) return fail(WhError.BADARGS);
  const key = await load(ctx, r.keyId, NvmFlags.USAGE_VERIFY);
  let answer: CryptoAnswer = fail(key.rc);
  if (key.data) {
    const args = { key: key.data, signature: parts[0]!, digest: parts[1]!, exportPublic: (r.options & EccOption.EXPORT_PUBLIC) !== 0 };
    const out = await ctx.engine.run<EccVerifyResult>('ecc.verify', args, WORKER_COST);
    key.data.fill(0);
    if ('valid' in out) {
      const pub = out.spki.length <= ctx.handler.config.dataLen - EccVerifyResponse.size ? out.spki : new Uint8Array(0);
      answer = { rc: 0, payload: responsePayload(EccVerifyResponse.size + pub.length, le).u32(12, out.valid ? 1 : 0).u32(16, pub.length).set(EccVerifyResponse.size, pub).bytes };
    } else answer = fail(out.rc);
  }
  await evictIf(ctx, (r.options & EccOption.EVICT) !== 0, r.keyId);
  return answer;
}

type EcdhFields = NonNullable<ReturnType<typeof EcdhRequest.decode>>;

/** The agreement and where its secret goes; `cachedId` is the internal id of a cached secret. */
async function agree(ctx: CryptoContext, r: EcdhFields, le: boolean): Promise<{ answer: CryptoAnswer; cachedId?: number }> {
  const prv = await load(ctx, r.privateKeyId, NvmFlags.USAGE_DERIVE);
  if (!prv.data) return { answer: fail(prv.rc) };
  const pub = await load(ctx, r.publicKeyId, 0);
  if (!pub.data) {
    prv.data.fill(0);
    return { answer: fail(pub.rc) };
  }
  const out = await ctx.engine.run<EcdhResult>('ecc.sharedSecret', { privateKey: prv.data, publicKey: pub.data }, pointCost(prv.data, pub.data));
  prv.data.fill(0);
  if (!('secret' in out)) return { answer: fail(out.rc) };
  const secret = out.secret;
  if (r.flags & NvmFlags.EPHEMERAL) {
    const reply = responsePayload(EcdhResponse.size + secret.length, le).u32(12, secret.length).u32(16, 0).set(EcdhResponse.size, secret).bytes;
    secret.fill(0);
    return { answer: { rc: 0, payload: reply } };
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, secret);
  secret.fill(0);
  if (cached.rc !== WhError.OK) return { answer: fail(cached.rc) };
  return { answer: { rc: 0, payload: responsePayload(EcdhResponse.size, le).u32(12, 0).u32(16, cached.value).bytes }, cachedId: ctx.keys.internalId(cached.value) };
}

/**
 * ECDH (spec-crypto 10.2), in wolfHSM's order: the private key with DERIVE, then
 * the public key with no usage (two owner steps), the agreement on the engine,
 * the secret returned (EPHEMERAL) or cached raw (one more owner step). The EVICT
 * bits run last, even after a failure; one naming the new cached secret is skipped.
 */
async function sharedSecret(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EcdhRequest.decode(req.payload, le);
  if (!r) return fail(WhError.BADARGS);
  const { answer, cachedId } = await agree(ctx, r, le);
  const evict = (bit: number, keyId: number) => evictIf(ctx, (r.options & bit) !== 0 && ctx.keys.internalId(keyId) !== cachedId, keyId);
  await evict(EccOption.EVICT_PUBLIC, r.publicKeyId);
  await evict(EccOption.EVICT_PRIVATE, r.privateKeyId);
  return answer;
}

/**
 * EC_MAKE_PUB (spec-crypto 10.5): no usage needed; the read is one owner step (the
 * C server reads the cache without its lock), the point d·G recomputed.
 */
async function makePub(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EccMakePubRequest.decode(req.payload, le);
  if (!r) return fail(WhError.BADARGS);
  const key = await load(ctx, r.keyId, 0);
  let answer: CryptoAnswer = fail(key.rc);
  if (key.data) {
    const out = await ctx.engine.run<EccMakePubResult>('ecc.makePub', { key: key.data }, pointCost(key.data));
    key.data.fill(0);
    answer = 'point' in out
      ? { rc: 0, payload: responsePayload(EccMakePubResponse.size + out.point.length, le).u32(12, out.point.length).set(EccMakePubResponse.size, out.point).bytes }
      : fail(out.rc);
  }
  await evictIf(ctx, (r.options & EccOption.EVICT) !== 0, r.keyId);
  return answer;
}

/** EC_CHECK_PUB_KEY (spec-crypto 10.6): no usage needed; the verdict travels in rc, ok = 1 on success. */
async function checkPub(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = EccCheckRequest.decode(req.payload, le);
  const parts = r && tail(req.payload, EccCheckRequest.size, [r.pubSz]);
  if (!r || !parts) return fail(WhError.BADARGS);
  const key = await load(ctx, r.keyId, 0);
  let answer: CryptoAnswer = fail(key.rc);
  if (key.data) {
    const out = await ctx.engine.run<EccFailure>('ecc.checkPub', { key: key.data, point: parts[0]! }, pointCost(key.data));
    key.data.fill(0);
    answer = out.rc === 0 ? { rc: 0, payload: responsePayload(16, le).u32(12, 1).bytes } : fail(out.rc);
  }
  await evictIf(ctx, (r.options & EccOption.EVICT) !== 0, r.keyId);
  return answer;
}

/** The PK type numbers of EC_MAKE_PUB and EC_CHECK_PUB_KEY, which depend on the client's wolfSSL (spec-crypto 2.5). */
export interface EccPubTypeNumbers {
  readonly makePub: number;
  readonly checkPub: number;
}

/**
 * ECC PK types with EC_MAKE_PUB / EC_CHECK_PUB_KEY under the given numbers (besides
 * the recorded build's placeholders, which stay served): for a client built with a
 * wolfSSL that numbers them differently.
 */
export function eccPkTypes(extra?: EccPubTypeNumbers): PkFamilies {
  const table: Record<number, CryptoFamily> = {
    [WcPk.EC_KEYGEN]: keygen,
    [WcPk.ECDH]: sharedSecret,
    [WcPk.ECDSA_SIGN]: sign,
    [WcPk.ECDSA_VERIFY]: verify,
    [WcPk.EC_MAKE_PUB]: makePub,
    [WcPk.EC_CHECK_PUB_KEY]: checkPub,
  };
  if (extra) {
    for (const n of [extra.makePub, extra.checkPub]) if (n in table && table[n] !== makePub && table[n] !== checkPub) throw new Error(`PK type ${n} is taken`);
    table[extra.makePub] = makePub;
    table[extra.checkPub] = checkPub;
  }
  return table;
}

/** ECC PK types (spec-crypto 10): handlers by algoType. */
export const eccPkFamilies: PkFamilies = eccPkTypes();

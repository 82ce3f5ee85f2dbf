import { WhError } from '../../../errors.js';
import { WORKER_COST } from '../../../crypto/engine.js';
import type { Curve25519KeyPair, Curve25519SharedResult } from '../../../crypto/curve25519/jobs.js';
import {
  CURVE25519_KEY_SIZE,
  Curve25519KeyGenRequest,
  Curve25519KeyGenResponse,
  Curve25519Option,
  Curve25519Request,
} from '../../../crypto/curve25519/messages.js';
import { WcError, WcPk } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoRequest } from '../crypto-types.js';
import type { PkFamilies } from './pk.js';


/** Both answers have the same shape (Curve25519KeyGenResponse, Curve25519Response): u32 @12, u32 @16, data @20. */
function answer(le: boolean, first: number, second: number, data: Uint8Array): CryptoAnswer {
  return { rc: 0, payload: responsePayload(Curve25519KeyGenResponse.size + data.length, le).u32(12, first).u32(16, second).set(Curve25519KeyGenResponse.size, data).bytes };
}

/**
 * CURVE25519_KEYGEN (spec-crypto 11.2): a clamped scalar from the server's RNG.
 * EPHEMERAL returns the 82-byte private DER under the id wolfHSM gives an erased
 * one (0x0100 with global keys); otherwise the DER is cached (its own size: a
 * regular slot) and the SPKI comes back.
 */
async function keygen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Curve25519KeyGenRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  if (r.sz !== CURVE25519_KEY_SIZE) return { rc: WcError.ECC_BAD_ARG_E };
  const random = await ctx.keys.random(CURVE25519_KEY_SIZE);
  const key = await ctx.engine.run<Curve25519KeyPair>('curve25519.keygen', { random }, WORKER_COST);
  random.fill(0);
  if (r.flags & NvmFlags.EPHEMERAL) {
    const out = answer(le, ctx.keys.clientId(0), key.privateDer.length, key.privateDer);
    key.privateDer.fill(0);
    return out;
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, key.privateDer);
  key.privateDer.fill(0);
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  const fits = key.publicDer.length <= ctx.handler.config.dataLen - Curve25519KeyGenResponse.size;
  return answer(le, cached.value, fits ? key.publicDer.length : 0, fits ? key.publicDer : new Uint8Array(0));
}

type SharedRequest = NonNullable<ReturnType<typeof Curve25519Request.decode>>;

/** Loads one input key (one owner message: freshen, usage, copy). */
async function load(ctx: CryptoContext, keyId: number, usage: number): Promise<{ rc: number; data?: Uint8Array }> {
  const k = await ctx.keys.loadForUse(keyId, usage);
  return k.rc === WhError.OK ? { rc: 0, data: k.value.data } : { rc: k.rc };
}

/** The agreement and where its secret goes; `cachedId` is the internal id of a cached secret. */
async function agree(ctx: CryptoContext, r: SharedRequest, le: boolean): Promise<{ answer: CryptoAnswer; cachedId?: number }> {
  const priv = await load(ctx, r.privateKeyId, NvmFlags.USAGE_DERIVE);
  if (!priv.data) return { answer: { rc: priv.rc } };
  const pub = await load(ctx, r.publicKeyId, 0);
  if (!pub.data) {
    priv.data.fill(0);
    return { answer: { rc: pub.rc } };
  }
  const out = await ctx.engine.run<Curve25519SharedResult>('curve25519.sharedSecret', { privateKey: priv.data, publicKey: pub.data, endian: r.endian }, 0);
  priv.data.fill(0);
  if (!('secret' in out)) return { answer: { rc: out.rc } };
  if (r.flags & NvmFlags.EPHEMERAL) {
    const reply = answer(le, out.secret.length, 0, out.secret);
    out.secret.fill(0);
    return { answer: reply };
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, out.secret);
  out.secret.fill(0);
  if (cached.rc !== WhError.OK) return { answer: { rc: cached.rc } };
  return { answer: answer(le, 0, cached.value, new Uint8Array(0)), cachedId: ctx.keys.internalId(cached.value) };
}

/**
 * CURVE25519 (spec-crypto 11.3), in wolfHSM's order: the private key with DERIVE,
 * then the public key with no usage (two owner steps), the agreement on the engine,
 * then the secret returned (EPHEMERAL) or cached (one more owner step). The EVICT
 * bits run last, even after a failure; one whose id is the new cached secret's is
 * skipped, so the result is not evicted with the import it replaced.
 */
async function sharedSecret(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Curve25519Request.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const { answer: result, cachedId } = await agree(ctx, r, le);
  const evict = async (bit: number, keyId: number) => {
    if (r.options & bit && ctx.keys.internalId(keyId) !== cachedId) await ctx.keys.evictAfterUse(keyId);
  };
  await evict(Curve25519Option.EVICT_PUBLIC, r.publicKeyId);
  await evict(Curve25519Option.EVICT_PRIVATE, r.privateKeyId);
  return result;
}

/** Curve25519 PK types (spec-crypto 11): handlers by algoType. */
export const curve25519PkFamilies: PkFamilies = {
  [WcPk.CURVE25519_KEYGEN]: keygen,
  [WcPk.CURVE25519]: sharedSecret,
};

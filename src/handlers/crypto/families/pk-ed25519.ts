import { WhError } from '../../../errors.js';
import { WORKER_COST } from '../../../crypto/engine.js';
import type { Ed25519KeyPair, Ed25519SignResult, Ed25519VerifyResult } from '../../../crypto/ed25519/jobs.js';
import {
  ED25519_MAX_CONTEXT,
  Ed25519KeyGenRequest,
  Ed25519KeyGenResponse,
  Ed25519Option,
  Ed25519SignRequest,
  Ed25519SignResponse,
  Ed25519Type,
  Ed25519VerifyRequest,
  Ed25519VerifyResponse,
  isEd25519Type,
  type Ed25519TypeNumber,
} from '../../../crypto/ed25519/messages.js';
import { WcPk } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoAnswer, CryptoContext, CryptoRequest } from '../crypto-types.js';
import type { PkFamilies } from './pk.js';

/** wolfHSM reserves this much for a generated Ed25519 key (the DER is 82 bytes): a regular slot. */
const ED25519_CACHE_RESERVE = 128;


/** Pure Ed25519 runs inline on node (~0.1 ms); ctx and ph run on noble (~0.65 ms sign, ~1.2 ms verify): a worker's. */
const cost = (type: Ed25519TypeNumber, bytes: number) => (type === Ed25519Type.PURE ? bytes : WORKER_COST);

/**
 * ED25519_KEYGEN (spec-crypto 12.2): a seed from the server's RNG. EPHEMERAL returns
 * the 82-byte DER with key id 0 (no 0x0100 quirk here); otherwise the DER is cached
 * with a 128-byte reservation and the SPKI comes back.
 */
async function keygen(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Ed25519KeyGenRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const seed = await ctx.keys.random(32);
  const key = await ctx.engine.run<Ed25519KeyPair>('ed25519.keygen', { seed }, WORKER_COST);
  seed.fill(0);
  const answer = (keyId: number, data: Uint8Array): CryptoAnswer => ({
    rc: 0,
    payload: responsePayload(Ed25519KeyGenResponse.size + data.length, le).u32(12, keyId).u32(16, data.length).set(Ed25519KeyGenResponse.size, data).bytes,
  });
  if (r.flags & NvmFlags.EPHEMERAL) {
    const out = answer(0, key.privateDer);
    key.privateDer.fill(0);
    return out;
  }
  const cached = await ctx.keys.cacheGenerated(r.keyId, r.flags, r.label, key.privateDer, ED25519_CACHE_RESERVE);
  key.privateDer.fill(0);
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  const fits = key.publicDer.length <= ctx.handler.config.dataLen - Ed25519KeyGenResponse.size;
  return answer(cached.value, fits ? key.publicDer : new Uint8Array(0));
}

/** Splits the bytes after a request struct into consecutive fields; null when their sizes do not fit. */
function fields(payload: Uint8Array, start: number, sizes: readonly number[]): Uint8Array[] | null {
  let at = start;
  const out: Uint8Array[] = [];
  for (const size of sizes) {
    if (size > payload.length - at) return null;
    out.push(payload.subarray(at, (at += size)));
  }
  return out;
}

/** Loads the key (one owner message: freshen, usage, copy), runs `op` on it, then the EVICT option whatever happened. */
async function withKey(ctx: CryptoContext, keyId: number, usage: number, evict: boolean, op: (key: Uint8Array) => Promise<CryptoAnswer>): Promise<CryptoAnswer> {
  let result: CryptoAnswer;
  const key = await ctx.keys.loadForUse(keyId, usage);
  if (key.rc !== WhError.OK) result = { rc: key.rc };
  else {
    try {
      result = await op(key.value.data);
    } finally {
      key.value.data.fill(0);
    }
  }
  if (evict) await ctx.keys.evictAfterUse(keyId);
  return result;
}

/**
 * ED25519_SIGN (spec-crypto 12.3). Malformed requests answer BADARGS before any key
 * step (and without the EVICT option): sizes beyond the payload, a context over 255
 * bytes, a type other than 255/0/1, a context with pure Ed25519. Usage SIGN.
 */
async function sign(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Ed25519SignRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const parts = fields(req.payload, Ed25519SignRequest.size, [r.msgSz, r.ctxSz]);
  if (!parts || r.ctxSz > ED25519_MAX_CONTEXT || !isEd25519Type(r.type) || (r.type === Ed25519Type.PURE && r.ctxSz !== 0)) return { rc: WhError.BADARGS };
  const [message, context] = parts as [Uint8Array, Uint8Array];
  const type = r.type;
  return withKey(ctx, r.keyId, NvmFlags.USAGE_SIGN, (r.options & Ed25519Option.EVICT) !== 0, async (key) => {
    const out = await ctx.engine.run<Ed25519SignResult>('ed25519.sign', { key, message, type, context }, cost(type, message.length));
    if (!('signature' in out)) return { rc: out.rc };
    const size = Ed25519SignResponse.size + out.signature.length;
    return { rc: 0, payload: responsePayload(size, le).u32(12, out.signature.length).set(Ed25519SignResponse.size, out.signature).bytes };
  });
}

/**
 * ED25519_VERIFY (spec-crypto 12.4): the same request checks as sign (a context with
 * pure Ed25519 is allowed here, and ignored). Usage VERIFY. Valid: rc 0, res 1;
 * otherwise wolfCrypt's code (SIG_VERIFY_E, or BAD_FUNC_ARG for malformed input).
 */
async function verify(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Ed25519VerifyRequest.decode(req.payload, le);
  if (!r) return { rc: WhError.BADARGS };
  const parts = fields(req.payload, Ed25519VerifyRequest.size, [r.sigSz, r.msgSz, r.ctxSz]);
  if (!parts || r.ctxSz > ED25519_MAX_CONTEXT || !isEd25519Type(r.type)) return { rc: WhError.BADARGS };
  const [signature, message, context] = parts as [Uint8Array, Uint8Array, Uint8Array];
  const type = r.type;
  return withKey(ctx, r.keyId, NvmFlags.USAGE_VERIFY, (r.options & Ed25519Option.EVICT) !== 0, async (key) => {
    const out = await ctx.engine.run<Ed25519VerifyResult>('ed25519.verify', { key, signature, message, type, context }, cost(type, message.length));
    if (out.rc !== 0) return { rc: out.rc };
    return { rc: 0, payload: responsePayload(Ed25519VerifyResponse.size, le).u32(12, 1).bytes };
  });
}

/** Ed25519 PK types (spec-crypto 12): handlers by algoType. */
export const ed25519PkFamilies: PkFamilies = {
  [WcPk.ED25519_KEYGEN]: keygen,
  [WcPk.ED25519_SIGN]: sign,
  [WcPk.ED25519_VERIFY]: verify,
};

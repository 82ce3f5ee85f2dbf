import { WhError } from '../../../errors.js';
import { hashVariant, type Sha3Variant } from '../../../crypto/hash/hash-variants.js';
import type { Sha2StepArgs, Sha2StepResult } from '../../../crypto/hash/sha2-midstate.js';
import type { Sha3StepArgs, Sha3StepResult } from '../../../crypto/hash/sha3-midstate.js';
import { WcError, WcHash } from '../../../crypto/wolfcrypt.js';
import { Sha256Request, Sha2Response, Sha3Request, Sha3Response, Sha512Request, sha3LanesCanonical } from '../../../protocol/messages/crypto-hash.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';

/**
 * HASH (action 1, spec-crypto 5 and 6): the client holds the running state and sends
 * it with every request; the server absorbs the input and returns the new state, or
 * the digest on the last block. No keys, no owner message: decode, compute, encode.
 */

const BADARGS: CryptoAnswer = { rc: WhError.BADARGS };

/**
 * The input of a request, or null when it breaks a size rule (spec-crypto 5.1): more
 * than the bytes present, non-final not whole blocks, final not shorter than a block.
 */
function checkedInput(data: Uint8Array, inSz: number, final: boolean, block: number): Uint8Array | null {
  if (inSz > data.length) return null;
  if (final ? inSz >= block : inSz % block !== 0) return null;
  return inSz === data.length ? data : data.slice(0, inSz);
}

/** The SHA-2 request of either width, and the SHA-512 state's hashType (the 256 family has none: its algoType). */
function decodeSha2(req: CryptoRequest) {
  const le = req.littleEndian;
  if (req.algoType === WcHash.SHA384 || req.algoType === WcHash.SHA512) {
    const r = Sha512Request.decodeView(req.payload, le);
    return r && { r, hashType: r.hashType };
  }
  // Not `{ ...r, hashType }`: spreading a decoded struct into a bigger object took V8 about 2 µs.
  const r = Sha256Request.decodeView(req.payload, le);
  return r && { r, hashType: req.algoType };
}

async function sha2(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const decoded = decodeSha2(req);
  if (!decoded) return BADARGS;
  const r = decoded.r;
  // Only SHA-512 (8) looks at hashType; SHA-384 ignores what its state says.
  const variant = hashVariant(req.algoType, decoded.hashType);
  if (variant?.kind !== 'sha2') return { rc: WcError.NOT_COMPILED_IN };
  const final = r.isLastBlock !== 0;
  const input = checkedInput(r.data, r.inSz, final, variant.block);
  if (!input) return BADARGS;
  const args: Sha2StepArgs = { core: variant.core, state: { hash: r.hash, loLen: r.loLen, hiLen: r.hiLen }, input, final, digestSize: variant.digestSize };
  const out = await ctx.engine.run<Sha2StepResult>('hash.sha2', args, input.length);
  // After a final the lengths are 0 and `hash` holds the digest, zero-padded.
  const [hash, loLen, hiLen] = 'digest' in out ? [out.digest, 0, 0] : [out.state.hash, out.state.loLen, out.state.hiLen];
  const payload = Sha2Response.encode({ algoType: 0, rc: 0, reserved: 0, hiLen, loLen, hash, hashType: variant.hashType }, req.littleEndian);
  return { rc: 0, payload };
}

async function sha3(ctx: CryptoContext, req: CryptoRequest, variant: Sha3Variant): Promise<CryptoAnswer> {
  const le = req.littleEndian;
  const r = Sha3Request.decodeView(req.payload, le);
  if (!r) return BADARGS;
  const final = r.isLastBlock !== 0;
  const input = checkedInput(r.data, r.inSz, final, variant.rate);
  if (!input) return BADARGS;
  const args: Sha3StepArgs = { rate: variant.rate, state: sha3LanesCanonical(r.s, le), input, final, digestSize: variant.digestSize };
  const out = await ctx.engine.run<Sha3StepResult>('hash.sha3', args, input.length);
  const payload = Sha3Response.encode({ algoType: 0, rc: 0, reserved: 0, s: sha3LanesCanonical(out.state, le), hash: out.digest }, le);
  return { rc: 0, payload };
}

export const hashFamily: CryptoFamily = async (ctx, req) => {
  const variant = hashVariant(req.algoType);
  if (!variant) return { rc: WcError.NOT_COMPILED_IN };
  return variant.kind === 'sha2' ? sha2(ctx, req) : sha3(ctx, req, variant);
};

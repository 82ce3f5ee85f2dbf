import { WhError } from '../../../errors.js';
import { isAesKeyLength } from '../../../crypto/aes/block.js';
import { emptyCmacState, type CmacState } from '../../../crypto/cmac/cmac.js';
import { CmacJob, type CmacMacResult } from '../../../crypto/cmac/jobs.js';
import { WcError } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { CMAC_MAX_KEY, CmacRequest, CmacResponse } from '../../../protocol/messages/crypto-cmac.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily } from '../crypto-types.js';

/**
 * The CMAC key (spec-crypto 7; inline first, the opposite of AES): inline bytes when
 * keySz ≠ 0 (a wrong length fails in wolfCrypt's init, BAD_FUNC_ARG); else the stored
 * key, read for SIGN and, only when that answers USAGE, read again for VERIFY (two
 * separate atomic reads, as wolfHSM does); a stored key that is no AES key is ABORTED.
 */
async function cmacKey(ctx: CryptoContext, keyId: number, inline: Uint8Array): Promise<{ rc: 0; value: Uint8Array } | { rc: number }> {
  if (inline.length !== 0) return isAesKeyLength(inline.length) ? { rc: 0, value: inline } : { rc: WcError.BAD_FUNC_ARG };
  if ((keyId & 0xff) === 0) return { rc: WhError.BADARGS };
  let stored = await ctx.keys.readForUse(keyId, NvmFlags.USAGE_SIGN, CMAC_MAX_KEY);
  if (stored.rc === WhError.USAGE) stored = await ctx.keys.readForUse(keyId, NvmFlags.USAGE_VERIFY, CMAC_MAX_KEY);
  if (stored.rc !== 0) return stored;
  return isAesKeyLength(stored.value.data.length) ? { rc: 0, value: stored.value.data } : { rc: WhError.ABORTED };
}

function answer(state: CmacState, outSz: number, keyId: number, mac: Uint8Array, le: boolean): CryptoAnswer {
  // Field by field: `{ ...state, outSz, keyId, data }` cost V8 3-7 µs per answer.
  const { buffer, digest, bufferSz, totalSz } = state;
  return { rc: 0, payload: CmacResponse.encode({ buffer, digest, bufferSz, totalSz, outSz, keyId, data: mac }, le) };
}

/**
 * CMAC (action 7, spec-crypto 7): one-shot (input and a MAC length), update
 * (outSz 0: the state comes back, keyId echoed) or final (no input: the MAC, the
 * state and keyId zero). The running state lives in the client.
 */
export const cmacFamily: CryptoFamily = async (ctx, req) => {
  const le = req.littleEndian;
  const r = CmacRequest.decodeView(req.payload, le);
  if (!r || r.inSz + r.keySz > r.data.length || r.keySz > CMAC_MAX_KEY) return { rc: WhError.BADARGS };
  const input = r.data.subarray(0, r.inSz);
  const key = await cmacKey(ctx, r.keyId, r.data.subarray(r.inSz, r.inSz + r.keySz));
  if (!('value' in key)) return { rc: key.rc };
  const cost = r.inSz;
  if (r.inSz !== 0 && r.outSz !== 0) {
    const out = await ctx.engine.run<CmacMacResult>(CmacJob.GENERATE, { key: key.value, input, outSz: r.outSz }, cost);
    return 'mac' in out ? answer(emptyCmacState(), r.outSz, 0, out.mac, le) : { rc: out.rc };
  }
  if (r.bufferSz > 16) return { rc: WhError.BADARGS };
  const state: CmacState = { buffer: r.buffer, digest: r.digest, bufferSz: r.bufferSz, totalSz: r.totalSz };
  if (r.outSz === 0) {
    const next = await ctx.engine.run<CmacState>(CmacJob.UPDATE, { key: key.value, state, input }, cost);
    return answer(next, 0, r.keyId, new Uint8Array(0), le);
  }
  const out = await ctx.engine.run<CmacMacResult>(CmacJob.FINAL, { key: key.value, state, outSz: r.outSz }, cost);
  return 'mac' in out ? answer(emptyCmacState(), r.outSz, 0, out.mac, le) : { rc: out.rc };
};

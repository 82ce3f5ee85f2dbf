import { WhError } from '../../../errors.js';
import { struct } from '../../../protocol/struct.js';
import { responsePayload } from '../crypto-handler.js';
import type { CryptoFamily } from '../crypto-types.js';

/** RNG (action 4, spec-crypto 3). */
export const RngRequest = struct('CRYPTO RNG request', 16, { sz: [12, 'u32'] });
const RNG_DATA = 16;

/** Random bytes from the server's RNG, at most what one response holds (the client loops for more). */
export const rngFamily: CryptoFamily = async (ctx, req) => {
  const r = RngRequest.decode(req.payload, req.littleEndian);
  if (!r) return { rc: WhError.BADARGS };
  const size = Math.min(r.sz, ctx.handler.config.dataLen - RNG_DATA);
  const bytes = await ctx.keys.random(size);
  return { rc: 0, payload: responsePayload(RNG_DATA + size, req.littleEndian).u32(12, size).set(RNG_DATA, bytes).bytes };
};

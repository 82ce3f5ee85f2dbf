import { WhError, type Result } from '../../errors.js';
import { KeyType, isErasedKeyId, keyIdFromClient, keyIdToClient } from '../../keystore/key-id.js';
import type { HandlerContext } from '../handler-types.js';
import type { CryptoAnswer, CryptoContext, CryptoKeys } from './crypto-types.js';

/** CryptoKeys over a session's owner port: every call one owner message, with this client's local cache. */
export function sessionCryptoKeys(ctx: HandlerContext): CryptoKeys {
  const f = ctx.config.keyFeatures;
  const lessee = ctx.session.sessionId;
  const local = ctx.session.localCache;
  const internalId = (clientKeyId: number) => keyIdFromClient(KeyType.CRYPTO, ctx.session.clientId, clientKeyId & 0xffff, f);
  return {
    internalId,
    clientId: (id) => keyIdToClient(id, f),
    readForUse: (k, usage, capacity) => ctx.owner.call(lessee, 'key.readForUse', { local, id: internalId(k), usage, capacity }),
    loadForUse: (k, usage) => ctx.owner.call(lessee, 'key.loadForUse', { local, id: internalId(k), usage }),
    async cacheGenerated(k, flags, label, data, reserve = 0): Promise<Result<number>> {
      const r = await ctx.owner.call(lessee, 'key.cacheGenerated', { local, id: internalId(k), flags, label, data, reserve });
      return r.rc === WhError.OK ? { rc: 0, value: keyIdToClient(r.value, f) } : r;
    },
    async evictAfterUse(k) {
      // An erased id names no key: there is nothing to evict (and no owner message to send).
      if (isErasedKeyId(k)) return;
      await ctx.owner.call(lessee, 'key.evictAfterUse', { local, id: internalId(k) });
    },
    async random(size) {
      const r = await ctx.owner.call(lessee, 'rng.generate', { size });
      if (r.rc !== WhError.OK) throw new Error(`server RNG failed (${r.rc})`);
      return r.value;
    },
  };
}

/** The EVICT option after an operation, whatever its outcome (its own owner step, result ignored); then the answer. */
export async function evictThen(ctx: CryptoContext, clientKeyId: number, evict: boolean, answer: CryptoAnswer): Promise<CryptoAnswer> {
  if (evict) await ctx.keys.evictAfterUse(clientKeyId);
  return answer;
}

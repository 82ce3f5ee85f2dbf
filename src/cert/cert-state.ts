import { VerifyCache } from './verify-cache.js';

/**
 * The CERT group's state in the owner: one verify-result cache per client
 * (spec-cert-she-custom 1.4, wolfHSM's per-server-context cache). Trusted roots
 * themselves are plain NVM objects.
 */
export interface CertState {
  /**
   * Keyed by the client's session-scoped local key cache, the one object that lives
   * exactly as long as its session and is handed to the owner by reference: a closed
   * session's verify cache goes with it, with no bookkeeping here.
   */
  readonly verifyCaches: WeakMap<object, VerifyCache>;
}

/** The state of a freshly started server. */
export function newCertState(): CertState {
  return { verifyCaches: new WeakMap() };
}

/** The verify cache of the client whose session owns `sessionKey` (created enabled and empty). */
export function verifyCacheOf(state: CertState, sessionKey: object): VerifyCache {
  let cache = state.verifyCaches.get(sessionKey);
  if (!cache) {
    cache = new VerifyCache();
    state.verifyCaches.set(sessionKey, cache);
  }
  return cache;
}

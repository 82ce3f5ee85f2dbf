import type { HsmClient } from '../hsm-client.js';

/** ML-DSA calls of `client.crypto.mldsa`. */
export class MldsaClient {
  constructor(protected readonly client: HsmClient) {}
}

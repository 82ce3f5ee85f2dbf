import type { HsmClient } from '../hsm-client.js';

/** RSA calls of `client.crypto.rsa`. */
export class RsaClient {
  constructor(protected readonly client: HsmClient) {}
}

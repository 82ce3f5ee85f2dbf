import type { HsmClient } from '../hsm-client.js';

/** ECC calls of `client.crypto.ecc`. */
export class EccClient {
  constructor(protected readonly client: HsmClient) {}
}

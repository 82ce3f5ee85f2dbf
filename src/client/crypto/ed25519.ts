import type { HsmClient } from '../hsm-client.js';

/** Ed25519 calls of `client.crypto.ed25519`. */
export class Ed25519Client {
  constructor(protected readonly client: HsmClient) {}
}

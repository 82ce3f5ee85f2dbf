import type { HsmClient } from '../hsm-client.js';

/** Curve25519 calls of `client.crypto.curve25519`. */
export class Curve25519Client {
  constructor(protected readonly client: HsmClient) {}
}

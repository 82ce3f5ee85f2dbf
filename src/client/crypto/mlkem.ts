import type { HsmClient } from '../hsm-client.js';

/** ML-KEM calls of `client.crypto.mlkem`. */
export class MlkemClient {
  constructor(protected readonly client: HsmClient) {}
}

import type { HsmClient } from './hsm-client.js';

/** The CERT group calls of an HsmClient (`client.cert`): trusted roots and chain verification. */
export class HsmCertClient {
  constructor(protected readonly client: HsmClient) {}
}

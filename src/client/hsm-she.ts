import type { HsmClient } from './hsm-client.js';

/** The SHE group calls of an HsmClient (`client.she`): AUTOSAR SHE key update, secure boot, cipher and MAC. */
export class HsmSheClient {
  constructor(protected readonly client: HsmClient) {}
}

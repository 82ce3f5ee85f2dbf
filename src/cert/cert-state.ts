/**
 * The CERT group's global state (the verify-result cache, spec-cert-she-custom 1.4),
 * owned by the owner actor beside NVM and the key caches.
 */
export interface CertState {
  /** Filled in by the CERT module. */
  readonly version: 1;
}

/** The state of a freshly started server. */
export function newCertState(): CertState {
  return { version: 1 };
}

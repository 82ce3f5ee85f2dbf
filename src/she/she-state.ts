/**
 * SHE's global state (UID, secure-boot progress, PRNG; spec-cert-she-custom 2.2),
 * owned by the owner actor beside NVM and the key caches.
 */
export interface SheState {
  /** Filled in by the SHE module. */
  readonly version: 1;
}

/** The state of a freshly started server. */
export function newSheState(): SheState {
  return { version: 1 };
}

import { emptyCmacState, type CmacState } from '../crypto/cmac/cmac.js';

/** Secure-boot progress (2.8): INIT → UPDATE → FINISH → SUCCESS / FAILURE. */
export const SbState = { INIT: 0, UPDATE: 1, FINISH: 2, SUCCESS: 3, FAILURE: 4 } as const;
export type SbStateValue = (typeof SbState)[keyof typeof SbState];

export interface SheBoot {
  state: SbStateValue;
  /** BOOT_MAC_KEY was found at SECURE_BOOT_INIT (sreg SECURE_BOOT). */
  cmacKeyFound: boolean;
  /** The image size announced by SECURE_BOOT_INIT, and what the updates brought so far. */
  size: number;
  received: number;
  /** The boot CMAC's key and running state while the image streams in. */
  key: Uint8Array | null;
  cmac: CmacState;
  /**
   * Bumped on every change: a SECURE_BOOT_UPDATE computes its chunk's CMAC outside
   * the owner and commits only if nothing changed meanwhile (see she-boot.ts).
   */
  epoch: number;
}

/**
 * SHE's global state (spec-cert-she-custom 2.2), owned by the owner actor beside NVM
 * and the key caches. Per process, as in wolfHSM's example server: a UID set by one
 * connection holds for later ones until the server restarts; a new server starts
 * fresh. Keys stay per client (they are keystore entries of the client's id).
 */
export interface SheState {
  /** The 15-byte UID once SET_UID ran. */
  uid: Uint8Array | null;
  readonly boot: SheBoot;
  /** PRNG state and key after INIT_RND. */
  rnd: { state: Uint8Array; readonly key: Uint8Array } | null;
  /** The RAM key was loaded in plain (LOAD_PLAIN_KEY or LOAD_KEY of slot 14): EXPORT_RAM_KEY allowed. Never cleared, as in wolfHSM. */
  ramKeyPlain: boolean;
}

/** The state of a freshly started server. */
export function newSheState(): SheState {
  return {
    uid: null,
    boot: { state: SbState.INIT, cmacKeyFound: false, size: 0, received: 0, key: null, cmac: emptyCmacState(), epoch: 0 },
    rnd: null,
    ramKeyPlain: false,
  };
}

/** After a failed boot action (other than NO_SECURE_BOOT): back to INIT with the counters and key flag cleared. */
export function resetBoot(b: SheBoot): void {
  b.state = SbState.INIT;
  b.size = 0;
  b.received = 0;
  b.cmacKeyFound = false;
  b.key = null;
  b.cmac = emptyCmacState();
  b.epoch++;
}

import { CERT_PHASES } from './cert-phases.js';
import { CRYPTO_PHASES } from './crypto-phases.js';
import { PK_PHASES } from './pk-phases.js';
import { KEY_POLICY_PHASES, POLICY_PHASES, RECLAIM_PHASES } from './policy-phases.js';
import { PHASES, type Phase } from './phases.js';
import { SHE_PHASES } from './she-phases.js';

/** Every contention phase in execution order: wolfHSM's 36, then actorhsm's own (101 and up). */
export const ALL_PHASES: readonly Phase[] = [...PHASES, ...POLICY_PHASES, ...KEY_POLICY_PHASES, ...RECLAIM_PHASES, ...CRYPTO_PHASES, ...PK_PHASES, ...SHE_PHASES, ...CERT_PHASES];

/** The phase with this id (throws for an unknown one: a typo in a test must not pass silently). */
export function phaseById(id: number): Phase {
  const p = ALL_PHASES.find((x) => x.id === id);
  if (!p) throw new Error(`no contention phase ${id}`);
  return p;
}

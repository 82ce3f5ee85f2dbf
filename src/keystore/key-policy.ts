import { WhError, type WhRc } from '../errors.js';
import { NvmFlags } from '../nvm/metadata.js';

/** Client-driven keystore operations gated by a key's flags (_KeystoreCheckPolicy). */
export type KeyPolicyOp = 'cache' | 'evict' | 'export' | 'exportPublic' | 'commit' | 'revoke';

/**
 * The flag rules once the key has been found: TRUSTED refuses everything; the
 * rest per operation. `committed` is false for a key that is not cached at all.
 */
export function keyPolicy(op: KeyPolicyOp, flags: number, committed: boolean): WhRc {
  if (flags & NvmFlags.TRUSTED) return WhError.ACCESS;
  switch (op) {
    case 'cache':
      return flags & NvmFlags.NONMODIFIABLE ? WhError.ACCESS : WhError.OK;
    case 'evict':
      return !committed && flags & (NvmFlags.NONMODIFIABLE | NvmFlags.NONDESTROYABLE) ? WhError.ACCESS : WhError.OK;
    case 'export':
      return flags & NvmFlags.NONEXPORTABLE ? WhError.ACCESS : WhError.OK;
    case 'exportPublic':
    case 'commit':
    case 'revoke':
      return WhError.OK;
  }
}

/** wh_Server_KeystoreEnforceKeyUsage: every usage bit asked for must be present. */
export function enforceKeyUsage(flags: number, required: number): WhRc {
  const need = required & NvmFlags.USAGE_ANY;
  return (flags & need) === need ? WhError.OK : WhError.USAGE;
}

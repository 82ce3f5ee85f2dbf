import { WhError, type WhRc } from '../errors.js';
import { NvmFlags, type NvmMetadata } from './metadata.js';

/** Client-driven operations gated by an existing object's flags (wh_Nvm_CheckPolicy). */
export type NvmPolicyOp = 'add' | 'destroy' | 'read';

/** ACCESS when `meta`'s flags forbid `op`, else OK. TRUSTED forbids everything. */
export function nvmPolicy(op: NvmPolicyOp, meta: NvmMetadata): WhRc {
  const f = meta.flags;
  if (f & NvmFlags.TRUSTED) return WhError.ACCESS;
  switch (op) {
    case 'add':
      return f & NvmFlags.NONMODIFIABLE ? WhError.ACCESS : WhError.OK;
    case 'destroy':
      return f & (NvmFlags.NONMODIFIABLE | NvmFlags.NONDESTROYABLE) ? WhError.ACCESS : WhError.OK;
    case 'read':
      return f & NvmFlags.NONEXPORTABLE ? WhError.ACCESS : WhError.OK;
  }
}

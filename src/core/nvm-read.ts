import { WhError, fail, type Result } from '../errors.js';
import type { Nvm } from '../nvm/nvm.js';

/**
 * The NVM READ handler's compound step (spec-core 6.3): metadata, offset check,
 * clamp, then a policy-checked read. One critical section: the clamp and the
 * bytes come from the same object version.
 */
export function nvmReadClamped(nvm: Nvm, id: number, offset: number, len: number): Result<Uint8Array> {
  const m = nvm.getMetadata(id);
  if (m.rc !== 0) return m;
  if (offset >= m.value.len) return fail(WhError.BADARGS);
  const clamped = Math.min(len, m.value.len - offset);
  return nvm.readChecked(id, offset, clamped);
}

import type { WhRc } from '../../errors.js';
import type { FlashPort } from './flash-port.js';

/**
 * A flash whose writes reach stable storage after the call that made them returns
 * (a write-behind file). Every change gets a sequence number; the owner holds an
 * answer back until the changes it depends on are durable.
 */
export interface DurableFlash extends FlashPort {
  /** Sequence number of the latest change queued (0 before any). */
  readonly writeSeq: number;
  /** Every change up to this sequence number is on stable storage. */
  readonly durableSeq: number;
  /** Resolves OK once every change up to `seq` is durable, or with the failure that stopped the store. */
  whenDurable(seq: number): Promise<WhRc>;
  /** Waits for everything queued so far, then closes the backing store. Idempotent. */
  close(): Promise<WhRc>;
}

export function isDurableFlash(flash: FlashPort): flash is DurableFlash {
  return typeof (flash as Partial<DurableFlash>).whenDurable === 'function';
}

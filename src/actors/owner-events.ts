import type { OwnerOp } from './owner-ops.js';
import type { OwnerStore } from './owner-store.js';

/**
 * Who sends owner messages: a client session or a custom-code lock user. Each is
 * issued by the owner (Owner.connect) and unique; only the holder of the matching
 * OwnerClient can send as it, so naming a lessee grants nothing.
 */
export type LesseeId = string;

export type OwnerEvent =
  /** One atomic compound operation; the answer is settled on `ticket`. */
  | { readonly type: 'op'; readonly lessee: LesseeId; readonly ticket: number; readonly op: OwnerOp }
  /** Ask for the lease (the lock); granted in mailbox order. */
  | { readonly type: 'lease.acquire'; readonly lessee: LesseeId; readonly ticket: number }
  | { readonly type: 'lease.release'; readonly lessee: LesseeId; readonly ticket: number }
  /** A session or lock user ended: revoke its lease and drop what it queued. */
  | { readonly type: 'lessee.gone'; readonly lessee: LesseeId }
  | { readonly type: 'stop' };

/** A message waiting for the lease to end, in arrival order. */
export type WaitingMessage = Extract<OwnerEvent, { type: 'op' } | { type: 'lease.acquire' }>;

export interface LeaseHolder {
  readonly lessee: LesseeId;
  /** Which grant this is (1, 2, ...): a revocation names the grant it ends. */
  readonly grant: number;
}

/**
 * The owner's own state, as the visualizer shows it: who holds the lease, who waits
 * and for what, whose lease was revoked. The heavy state (NVM, flash, key caches,
 * answer tickets) is behind the `store` handle.
 */
export interface OwnerContext {
  readonly name: string;
  readonly holder: LeaseHolder | null;
  readonly waiting: readonly WaitingMessage[];
  /** Lessees whose lease was taken away (deadline, stop): their calls answer ABORTED until they release. */
  readonly revoked: readonly LesseeId[];
  readonly leasesGranted: number;
  /** When the current lease was granted (performance.now() ms): its deadline counts from here. */
  readonly heldSince: number;
  /** A lease held longer than this is revoked (0: never). */
  readonly leaseTimeoutMs: number;
  readonly store: OwnerStore;
}

export interface OwnerInput {
  readonly name: string;
  readonly store: OwnerStore;
  readonly leaseTimeoutMs: number;
}

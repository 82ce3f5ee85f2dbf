import type { OwnerOp } from './owner-ops.js';

/** Who sends owner messages: a client session or a custom-code lock user. */
export type LesseeId = string;

export type OwnerEvent =
  /** One atomic compound operation; the answer is settled on `ticket`. */
  | { readonly type: 'op'; readonly lessee: LesseeId; readonly ticket: number; readonly op: OwnerOp }
  /** Ask for the lease (the lock); granted in mailbox order. */
  | { readonly type: 'lease.acquire'; readonly lessee: LesseeId; readonly ticket: number }
  | { readonly type: 'lease.release'; readonly lessee: LesseeId; readonly ticket: number }
  /** A session or lock user ended: revoke its lease and drop what it queued. */
  | { readonly type: 'client.gone'; readonly lessee: LesseeId }
  | { readonly type: 'stop' };

/** JSON-only, so inspection and the visualizer stay cheap. */
export interface OwnerContext {
  readonly name: string;
  /** Current lease holder, or null. */
  readonly holder: LesseeId | null;
  /** Messages waiting for the lease to end. */
  readonly deferred: number;
  readonly leasesGranted: number;
}

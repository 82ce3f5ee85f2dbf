import type { PersistStats } from './sink-persister.js';

/** What the persist worker starts from. */
export interface PersistWorkerData {
  /** The flash file, exactly 2 × partitionSize bytes, holding `image`. */
  readonly path: string;
  readonly image: Uint8Array;
  readonly partitionSize: number;
  readonly erasedByte: number;
}

/** Main thread to worker: batches in order, then one close. */
export type ToPersistWorker = { readonly type: 'batch'; readonly buffer: ArrayBuffer; readonly length: number } | { readonly type: 'close' };

/** Worker to main thread: one answer for its start ('ready' or 'failed'), then one per message, in order. */
export type FromPersistWorker =
  | { readonly type: 'ready' }
  /** A batch persisted; its buffer comes back for the journal to reuse (no allocation per batch). */
  | { readonly type: 'done'; readonly stats: PersistStats; readonly buffer?: ArrayBuffer }
  | { readonly type: 'closed' }
  | { readonly type: 'failed'; readonly message: string };

import { readFileSync } from 'node:fs';
import { FileSink } from './flash-sink.js';
import { WorkerPersister } from './worker-persister.js';
import { WriteBehindFlash } from './write-behind-flash.js';

export interface WriteBehindFileOptions {
  /** An existing flash file of exactly 2 × partitionSize bytes. */
  readonly path: string;
  readonly partitionSize: number;
  readonly erasedByte?: number;
  readonly onError?: (error: Error) => void;
  /**
   * Where writes and fdatasyncs run: 'worker' (default), a worker thread of the
   * flash's own, so the event loop pays one message per batch; 'main', libuv's
   * thread pool with a callback per write and sync on the event loop.
   */
  readonly persistOn?: 'worker' | 'main';
}

/**
 * Opens a flash file for the server: read once into memory, then persisted behind
 * the NVM store's back with syncs at its commit points (WriteBehindFlash).
 * Creating, locking and checking the file is the caller's job (flash-store.ts).
 */
export async function openWriteBehindFile(o: WriteBehindFileOptions): Promise<WriteBehindFlash> {
  const image = new Uint8Array(readFileSync(o.path));
  if (image.length !== 2 * o.partitionSize) {
    throw new Error(`flash file ${o.path} is ${image.length} bytes, expected ${2 * o.partitionSize} (2 × ${o.partitionSize})`);
  }
  const erasedByte = (o.erasedByte ?? 0xff) & 0xff;
  const persistence =
    o.persistOn === 'main'
      ? { sink: await FileSink.open(o.path) }
      : { persister: await WorkerPersister.start({ path: o.path, image, partitionSize: o.partitionSize, erasedByte }) };
  return new WriteBehindFlash({
    image,
    partitionSize: o.partitionSize,
    ...persistence,
    ...(o.erasedByte !== undefined ? { erasedByte: o.erasedByte } : {}),
    ...(o.onError ? { onError: o.onError } : {}),
  });
}

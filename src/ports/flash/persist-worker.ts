/**
 * The persist worker's entry (a node:worker_threads Worker started by
 * WorkerPersister): plans each journal batch and writes and syncs it on this
 * thread, so a compaction's persistence costs the server's event loop one message
 * out and one back instead of a thread-pool round trip per write and sync.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromPersistWorker, PersistWorkerData, ToPersistWorker } from './persist-messages.js';
import { SinkPersister } from './sink-persister.js';
import { SyncFileSink } from './sync-file-sink.js';
import { lowerThreadPriority } from '../os/thread-priority.js';

// Between syncs this thread only copies: it yields the CPU to the event loop first.
lowerThreadPriority();

const port = parentPort!;
const data = workerData as PersistWorkerData;
const answer = (m: FromPersistWorker) => port.postMessage(m);
let failed: string | null = null;
let persister: SinkPersister | null = null;
try {
  persister = new SinkPersister({ image: data.image, partitionSize: data.partitionSize, erasedByte: data.erasedByte, sink: new SyncFileSink(data.path) });
  answer({ type: 'ready' });
} catch (e) {
  failed = e instanceof Error ? e.message : String(e);
  answer({ type: 'failed', message: failed });
}

async function handle(m: ToPersistWorker): Promise<void> {
  if (m.type === 'close') {
    try {
      await persister?.close();
      answer({ type: 'closed' });
    } catch (e) {
      answer({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
    port.close();
    return;
  }
  // After a failure nothing more is written: the store stopped at the failed batch.
  if (failed !== null || persister === null) return answer({ type: 'failed', message: failed ?? 'no persister' });
  try {
    await persister.persist(new Uint8Array(m.buffer, 0, m.length));
    // Written and synced: nothing refers to the batch any more, so its buffer goes back for reuse.
    port.postMessage({ type: 'done', stats: { ...persister.stats }, buffer: m.buffer } satisfies FromPersistWorker, [m.buffer]);
  } catch (e) {
    failed = e instanceof Error ? e.message : String(e);
    answer({ type: 'failed', message: failed });
  }
}

// Strictly one message after another, in the order sent.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToPersistWorker) => {
  chain = chain.then(() => handle(m));
});

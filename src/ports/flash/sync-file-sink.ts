import fs from 'node:fs';
import type { FlashSink } from './flash-sink.js';

/**
 * A file as a FlashSink with blocking calls, for a thread of its own (the persist
 * worker): each write and fdatasync is one system call on that thread, with no
 * hop through libuv's thread pool and no callback on the main event loop.
 */
export class SyncFileSink implements FlashSink {
  private fd: number | null;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'r+');
  }

  private handle(): number {
    if (this.fd === null) throw new Error('sink closed');
    return this.fd;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    const fd = this.handle();
    let done = 0;
    while (done < bytes.length) {
      const n = fs.writeSync(fd, bytes, done, bytes.length - done, offset + done);
      if (n <= 0) throw new Error(`short write at offset ${offset + done}`);
      done += n;
    }
  }

  async sync(): Promise<void> {
    fs.fdatasyncSync(this.handle());
  }

  async close(): Promise<void> {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }
}

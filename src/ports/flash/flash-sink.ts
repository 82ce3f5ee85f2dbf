import { open, type FileHandle } from 'node:fs/promises';

/** Where a write-behind flash persists: positioned writes and a data sync, all asynchronous. */
export interface FlashSink {
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /** Everything written so far is on stable storage when this resolves. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A file as a FlashSink. Every call runs on libuv's thread pool, so neither the
 * writes nor the fdatasync ever block the event loop.
 */
export class FileSink implements FlashSink {
  private constructor(private readonly fh: FileHandle) {}

  static async open(path: string): Promise<FileSink> {
    return new FileSink(await open(path, 'r+'));
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, offset + done);
      if (bytesWritten <= 0) throw new Error(`short write at offset ${offset + done}`);
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.fh.datasync();
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

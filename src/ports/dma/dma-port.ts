import type { Result, WhRc } from '../../errors.js';

/**
 * Client memory as the server reaches it for the DMA request variants: the
 * request carries client addresses (u64) and sizes instead of bytes. Transfers
 * are asynchronous; handlers run each whole transfer inside one owner lease, so
 * no other client can observe or change the shared state half way through.
 *
 * Rules (spec-core 6.7): a zero-length transfer is BADARGS, an address range
 * outside the allow-list is ACCESS.
 */
export interface DmaPort {
  /** Client → server (READ_PRE, copy, READ_POST). */
  read(addr: bigint, len: number): Promise<Result<Uint8Array>>;
  /** Server → client (WRITE_PRE, copy, WRITE_POST). */
  write(addr: bigint, data: Uint8Array): Promise<WhRc>;
  /** The allow-list check alone (wolfHSM maps with the unclamped length before copying). */
  check(addr: bigint, len: number): WhRc;
}

import { WhError, fail, ok, type Result, type WhRc } from '../../errors.js';
import type { DmaPort } from './dma-port.js';

export interface AllowedRange {
  readonly addr: bigint;
  readonly size: number;
}

export interface ClientMemoryOptions {
  /** Client address of byte 0 of the region. */
  readonly base: bigint;
  readonly size: number;
  /** Ranges the server may touch (wolfHSM's DMA allow-list); default: the whole region. */
  readonly allow?: readonly AllowedRange[];
  /**
   * Simulated transfer time: each transfer resolves after this many ms (0: on the
   * next macrotask), so concurrent clients really do interleave with a transfer.
   */
  readonly latencyMs?: number;
}

/**
 * A client-owned memory region for in-process embedding and tests: the server's
 * DMA transfers read and write `bytes` asynchronously, as a slow bus would.
 */
export class SimulatedClientMemory implements DmaPort {
  readonly bytes: Uint8Array;
  private readonly allow: readonly AllowedRange[];
  transfers = 0;

  constructor(private readonly options: ClientMemoryOptions) {
    this.bytes = new Uint8Array(options.size);
    this.allow = options.allow ?? [{ addr: options.base, size: options.size }];
  }

  /** The client address of offset `off` in the region. */
  addr(off: number): bigint {
    return this.options.base + BigInt(off);
  }

  check(addr: bigint, len: number): WhRc {
    if (len <= 0) return WhError.BADARGS;
    const end = addr + BigInt(len);
    const inside = (r: AllowedRange) => addr >= r.addr && end <= r.addr + BigInt(r.size);
    if (!this.allow.some(inside)) return WhError.ACCESS;
    const regionEnd = this.options.base + BigInt(this.options.size);
    return addr >= this.options.base && end <= regionEnd ? WhError.OK : WhError.ACCESS;
  }

  private settle(): Promise<void> {
    const ms = this.options.latencyMs ?? 0;
    return new Promise((r) => setTimeout(r, ms));
  }

  async read(addr: bigint, len: number): Promise<Result<Uint8Array>> {
    const rc = this.check(addr, len);
    if (rc !== WhError.OK) return fail(rc);
    this.transfers++;
    await this.settle();
    const off = Number(addr - this.options.base);
    return ok(this.bytes.slice(off, off + len));
  }

  async write(addr: bigint, data: Uint8Array): Promise<WhRc> {
    const rc = this.check(addr, data.length);
    if (rc !== WhError.OK) return rc;
    this.transfers++;
    await this.settle();
    this.bytes.set(data, Number(addr - this.options.base));
    return WhError.OK;
  }
}

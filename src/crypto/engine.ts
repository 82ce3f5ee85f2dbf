/**
 * The crypto engine port: where CPU work on keys runs. Handlers name a job and its
 * arguments; an engine runs it inline or elsewhere (a worker pool, later a hardware
 * engine behind its own actor) and answers with the job's result.
 *
 * `cost` is the caller's estimate of the work in bytes processed (or a large number
 * for key generation): engines use it to decide what is worth sending to a worker.
 */
export interface CryptoEngine {
  run<T>(job: string, args: unknown, cost: number): Promise<T>;
  /** Stops workers; later runs reject. Idempotent. */
  close(): Promise<void>;
}

/** Thrown by an engine for a job it does not know: the handler answers NOT_COMPILED_IN. */
export class UnknownCryptoJobError extends Error {
  constructor(readonly job: string) {
    super(`unknown crypto job ${job}`);
    this.name = 'UnknownCryptoJobError';
  }
}

/** Cost for work that always belongs on a worker (key generation, RSA private operations, ML-DSA). */
export const WORKER_COST = Number.MAX_SAFE_INTEGER;

import { UnknownCryptoJobError, type CryptoEngine } from '../../crypto/engine.js';
import { CertSimpleResponse } from '../../protocol/messages/cert.js';
import { reply, type HandlerContext, type HandlerReply } from '../handler-types.js';

/** How the CERT group is built: its engine and what a test may pin down. */
export interface CertHandlerOptions {
  /** The verification time in ms since the epoch (default: the wall clock). */
  readonly now?: () => number;
  /** WOLFHSM_CFG_MAX_CERT_SIZE: the largest root or certificate read (default: the server's data length). */
  readonly maxCertSize?: number;
}

/** One CERT request's view: the session's context, the engine and the group's settings. */
export interface CertContext {
  readonly ctx: HandlerContext;
  readonly engine: CryptoEngine;
  readonly now: () => number;
  readonly maxCertSize: number;
  readonly le: boolean;
}

export const simple = (c: CertContext, rc: number): HandlerReply => reply(CertSimpleResponse.encode({ rc }, c.le));

/**
 * Runs a CERT job; a job the engine does not have (CRYPTO_JOBS without the CERT table)
 * answers NOTIMPL instead of failing the request.
 */
export async function runJob<T>(c: CertContext, job: string, args: unknown, cost: number): Promise<T | { readonly notImplemented: true }> {
  try {
    return await c.engine.run<T>(job, args, cost);
  } catch (e) {
    if (e instanceof UnknownCryptoJobError) return { notImplemented: true };
    throw e; // a bug: the dispatcher answers ABORTED and reports it
  }
}


import { StructWriter } from '../../protocol/bytes.js';
import { CRYPTO_HEADER_SIZE, CryptoRequestHeader, CryptoResponseHeader } from '../../protocol/messages/crypto-header.js';
import { UnknownCryptoJobError, type CryptoEngine } from '../../crypto/engine.js';
import { WcError } from '../../crypto/wolfcrypt.js';
import { ECHO, reply, type GroupHandler, type HandlerReply } from '../handler-types.js';
import { sessionCryptoKeys } from './crypto-keys.js';
import type { CryptoAnswer, CryptoFamily } from './crypto-types.js';

export interface CryptoHandlerOptions {
  readonly engine: CryptoEngine;
  /** Families by CRYPTO action (wolfCrypt algorithm class); a missing one answers NOT_COMPILED_IN. */
  readonly families: Readonly<Partial<Record<number, CryptoFamily>>>;
}

/** The 12-byte failure (or not-here) answer: algoType echoed, rc, 0 (spec-crypto 2.3, 2.4). */
export function cryptoFailure(algoType: number, rc: number, le: boolean): Uint8Array {
  return CryptoResponseHeader.encode({ algoType, rc, reserved: 0 }, le);
}

function encode(algoType: number, answer: Exclude<CryptoAnswer, { echo: true }>, le: boolean): Uint8Array {
  if (answer.rc !== 0 || !answer.payload) return cryptoFailure(algoType, answer.rc, le);
  const out = answer.payload;
  out.set(CryptoResponseHeader.encode({ algoType, rc: 0, reserved: 0 }, le), 0);
  return out;
}

/**
 * The CRYPTO group (0x04): decode the generic header, route by action to an
 * algorithm family, answer with the generic header. What is not implemented gets
 * wolfHSM's NOT_COMPILED_IN answer, so a wolfCrypt client falls back to software.
 */
export function cryptoHandler(options: CryptoHandlerOptions): GroupHandler {
  return async (ctx, req): Promise<HandlerReply> => {
    const le = req.header.littleEndian;
    const h = CryptoRequestHeader.decode(req.payload, le);
    // Shorter than the generic header: wolfHSM sends the request back (no response size set).
    if (!h) return ECHO;
    const family = options.families[req.action];
    if (!family) return reply(cryptoFailure(h.algoType, WcError.NOT_COMPILED_IN, le));
    let answer: CryptoAnswer;
    try {
      answer = await family(
        { handler: ctx, engine: options.engine, keys: sessionCryptoKeys(ctx) },
        { action: req.action, algoType: h.algoType, algoSubType: h.algoSubType, payload: req.payload, littleEndian: le },
      );
    } catch (e) {
      if (e instanceof UnknownCryptoJobError) return reply(cryptoFailure(h.algoType, WcError.NOT_COMPILED_IN, le));
      throw e; // a bug: the dispatcher answers ABORTED and reports it
    }
    if ('echo' in answer) return ECHO;
    return reply(encode(h.algoType, answer, le));
  };
}

/** A whole response payload of `size` bytes (spec offsets; the first 12 are the generic header's). */
export function responsePayload(size: number, le: boolean): StructWriter {
  return new StructWriter(Math.max(CRYPTO_HEADER_SIZE, size), le);
}

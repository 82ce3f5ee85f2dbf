import type { Result } from '../../errors.js';
import type { CryptoEngine } from '../../crypto/engine.js';
import type { KeyMaterial } from '../../keystore/keystore.js';
import type { HandlerContext } from '../handler-types.js';

/** One CRYPTO request, its generic header decoded; `payload` is the whole payload (spec offsets apply to it). */
export interface CryptoRequest {
  readonly action: number;
  readonly algoType: number;
  readonly algoSubType: number;
  readonly payload: Uint8Array;
  readonly littleEndian: boolean;
}

/**
 * A family's answer: a result code and, on success, the whole response payload
 * (its first 12 bytes are left for the generic header, which the framework writes);
 * or `echo`, wolfHSM's answer to a payload too short for its struct (the request
 * sent back verbatim).
 */
export type CryptoAnswer = { readonly rc: number; readonly payload?: Uint8Array } | { readonly echo: true };

/** Stored keys as crypto handlers use them: each call is one owner message and returns copies. */
export interface CryptoKeys {
  /** The internal id of a client-form key id (flags GLOBAL/WRAPPED/HW, this client's id). */
  internalId(clientKeyId: number): number;
  /** The client form of an internal id, as responses carry it. */
  clientId(internalId: number): number;
  /** ReadKeyEnforce (copy-out: AES, CMAC, KDF inputs); NOSPACE above `capacity` bytes. */
  readForUse(clientKeyId: number, usage: number, capacity: number): Promise<Result<KeyMaterial>>;
  /** Load-for-use (FreshenKey, usage): asymmetric keys, KEKs. */
  loadForUse(clientKeyId: number, usage: number): Promise<Result<KeyMaterial>>;
  /**
   * Caches a key the handler made; number 0 picks a free one. Answers the client-form id.
   * `reserve`: the slot size to ask for when larger than the data (RSA/ECC: a big slot).
   */
  cacheGenerated(clientKeyId: number, flags: number, label: Uint8Array, data: Uint8Array, reserve?: number): Promise<Result<number>>;
  /** The EVICT option: drop a temporary import after use (result ignored, as in wolfHSM; an erased id is skipped). */
  evictAfterUse(clientKeyId: number): Promise<void>;
  /** Random bytes from the server's RNG (owned by the owner actor). */
  random(size: number): Promise<Uint8Array>;
}

export interface CryptoContext {
  readonly handler: HandlerContext;
  readonly engine: CryptoEngine;
  readonly keys: CryptoKeys;
}

/** One algorithm class (a CRYPTO action): decode, one owner message, compute on the engine, encode. */
export type CryptoFamily = (ctx: CryptoContext, req: CryptoRequest) => Promise<CryptoAnswer>;

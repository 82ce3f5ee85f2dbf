import { HASH_ALGORITHMS, hashVariant, type HashAlgorithm, type Sha2Variant, type Sha3Variant } from '../../crypto/hash/hash-variants.js';
import { Group, kind } from '../../protocol/groups.js';
import { DEFAULT_DATA_LEN } from '../../protocol/header.js';
import { Sha256Request, Sha2Response, Sha3Request, Sha3Response, Sha512Request } from '../../protocol/messages/crypto-hash.js';
import type { StructCodec } from '../../protocol/struct.js';
import { WcAlgo } from '../../crypto/wolfcrypt.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';

/**
 * HASH (action 1) from a TypeScript client, as the wolfHSM C client does it: the
 * running state lives here, every request carries it, non-final requests carry only
 * whole blocks (as many as fit in one message), the last partial block goes with
 * the final request and the server pads.
 */

export type { HashAlgorithm } from '../../crypto/hash/hash-variants.js';

export interface HashOptions {
  /** The server's WOLFHSM_CFG_COMM_DATA_LEN, which bounds the input per request (default 8192). */
  readonly dataLen?: number;
}

/** The digest, or the server's result code (wolfHSM −2xxx or wolfCrypt −1xx). */
export type HashResult = { readonly rc: 0; readonly digest: Uint8Array } | { readonly rc: number; readonly digest?: undefined };

/** What one request carries and what comes back: the state, and on a final the digest. */
export interface HashState {
  /** SHA-2: the word array in little-endian memory order (32/64 bytes); SHA-3: the 200 lane bytes. */
  readonly state: Uint8Array;
  /** SHA-2 byte count so far (SHA-3 keeps none). */
  readonly loLen: number;
  readonly hiLen: number;
}

export type HashStepResult = { readonly rc: 0; readonly state: HashState; readonly digest: Uint8Array } | { readonly rc: number };

const HASH_KIND = kind(Group.CRYPTO, WcAlgo.HASH);

function variantOf(algorithm: HashAlgorithm): Sha2Variant | Sha3Variant {
  const id = HASH_ALGORITHMS[algorithm];
  return hashVariant(id.algoType, id.hashType)!;
}

/** Size of the request struct (generic header included) before the input. */
function requestSize(v: Sha2Variant | Sha3Variant): number {
  if (v.kind === 'sha3') return Sha3Request.size;
  return v.core === 'sha256' ? Sha256Request.size : Sha512Request.size;
}

/** The largest whole-block input one request can carry (the C client's MAX_INLINE_UPDATE_SZ). */
export function maxInlineInput(algorithm: HashAlgorithm, dataLen = DEFAULT_DATA_LEN): number {
  const v = variantOf(algorithm);
  const block = v.kind === 'sha3' ? v.rate : v.block;
  return Math.floor((dataLen - requestSize(v)) / block) * block;
}

/** Checks an answer as the C client does: the algoType echoed (else ABORTED), then rc, then the size. */
function checked<T extends { algoType: number; rc: number }>(codec: StructCodec<T>, bytes: Uint8Array, le: boolean, algoType: number): T | { rc: number } {
  const head = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new ProtocolError(`${codec.name}: ${bytes.length} bytes`);
  if (head.getUint32(0, le) !== algoType) throw new ProtocolError(`${codec.name}: algoType ${head.getUint32(0, le)}, expected ${algoType}`);
  const rc = head.getInt32(4, le);
  if (rc !== 0) return { rc };
  const r = codec.decode(bytes, le);
  if (!r) throw new ProtocolError(`${codec.name}: ${bytes.length} bytes, expected ${codec.size}`);
  return r;
}

/** One HASH request: resume from `from`, absorb `input` (whole blocks unless `final`), answer the new state or the digest. */
export async function hashStep(client: HsmClient, algorithm: HashAlgorithm, from: HashState, input: Uint8Array, final: boolean): Promise<HashStepResult> {
  const id = HASH_ALGORITHMS[algorithm];
  const v = variantOf(algorithm);
  // Literals, not `{ ...head, ... }`: spreading the header into the request cost V8 about 9 µs.
  const { algoType } = id;
  const isLastBlock = final ? 1 : 0;
  if (v.kind === 'sha3') {
    const req = Sha3Request.encode({ algoType, algoSubType: 0, affinity: 0, isLastBlock, inSz: input.length, s: from.state, data: input }, true);
    const res = await client.request(HASH_KIND, req);
    const r = checked(Sha3Response, res.bytes, res.littleEndian, id.algoType);
    if (!('s' in r)) return { rc: r.rc };
    return { rc: 0, state: { state: r.s, loLen: 0, hiLen: 0 }, digest: r.hash.slice(0, final ? v.digestSize : 0) };
  }
  const { hiLen, loLen, state: hash } = from;
  const inSz = input.length;
  const req =
    v.core === 'sha256'
      ? Sha256Request.encode({ algoType, algoSubType: 0, affinity: 0, hiLen, loLen, hash, isLastBlock, inSz, data: input }, true)
      : Sha512Request.encode({ algoType, algoSubType: 0, affinity: 0, hiLen, loLen, hash, hashType: id.hashType ?? 0, isLastBlock, inSz, data: input }, true);
  const res = await client.request(HASH_KIND, req);
  const r = checked(Sha2Response, res.bytes, res.littleEndian, id.algoType);
  if (!('hash' in r)) return { rc: r.rc };
  const stateSize = v.core === 'sha256' ? 32 : 64;
  return { rc: 0, state: { state: r.hash.slice(0, stateSize), loLen: r.loLen, hiLen: r.hiLen }, digest: r.hash.slice(0, final ? v.digestSize : 0) };
}

/**
 * A hash whose state is held here and computed by the server, like a wolfCrypt
 * hash object bound to the HSM: `update` sends every whole block it can (buffering
 * the rest), `digest` sends the rest as the final request and starts over.
 */
export class HsmHash {
  private from: HashState;
  private pending: Uint8Array = new Uint8Array(0);
  private readonly block: number;
  private readonly maxInline: number;

  constructor(
    private readonly client: HsmClient,
    readonly algorithm: HashAlgorithm,
    options: HashOptions = {},
  ) {
    const v = variantOf(algorithm);
    this.block = v.kind === 'sha3' ? v.rate : v.block;
    this.maxInline = maxInlineInput(algorithm, options.dataLen);
    this.from = HsmHash.initial(algorithm);
  }

  private static initial(algorithm: HashAlgorithm): HashState {
    return { state: HASH_ALGORITHMS[algorithm].initialState.slice(), loLen: 0, hiLen: 0 };
  }

  /** The state the next request will carry, and the bytes still buffered here. */
  get snapshot(): { readonly state: HashState; readonly buffered: Uint8Array } {
    return { state: this.from, buffered: this.pending.slice() };
  }

  /** Sends the whole blocks of (buffered + data) in as few requests as fit; answers 0 or the server's code. */
  async update(data: Uint8Array): Promise<number> {
    const all = new Uint8Array(this.pending.length + data.length);
    all.set(this.pending);
    all.set(data, this.pending.length);
    let off = 0;
    while (all.length - off >= this.block) {
      const n = Math.min(Math.floor((all.length - off) / this.block) * this.block, this.maxInline);
      const r = await hashStep(this.client, this.algorithm, this.from, all.subarray(off, off + n), false);
      if (r.rc !== 0 || !('state' in r)) {
        this.pending = all.slice(off);
        return r.rc;
      }
      this.from = r.state;
      off += n;
    }
    this.pending = all.slice(off);
    return 0;
  }

  /** The final request with the buffered tail; the object starts over afterwards (as wolfCrypt's Final does). */
  async digest(): Promise<HashResult> {
    const r = await hashStep(this.client, this.algorithm, this.from, this.pending, true);
    if (r.rc !== 0 || !('digest' in r)) return { rc: r.rc };
    this.from = HsmHash.initial(this.algorithm);
    this.pending = new Uint8Array(0);
    return { rc: 0, digest: r.digest };
  }
}

/** One-shot: the digest of `data` computed by the server (as `wh_Client_Sha256` and friends). */
export async function hsmDigest(client: HsmClient, algorithm: HashAlgorithm, data: Uint8Array, options?: HashOptions): Promise<HashResult> {
  const h = new HsmHash(client, algorithm, options);
  const rc = await h.update(data);
  if (rc !== 0) return { rc };
  return h.digest();
}

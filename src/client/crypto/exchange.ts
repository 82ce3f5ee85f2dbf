import { WhError } from '../../errors.js';
import type { StructReader } from '../../protocol/bytes.js';
import { Group, kind } from '../../protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../../protocol/messages/crypto-header.js';
import type { StructCodec } from '../../protocol/struct.js';
import { ProtocolError, type HsmClient } from '../hsm-client.js';

/** A failed call answers its rc (wolfHSM or wolfCrypt code) and nothing else. */
export type CryptoResult<T> = ({ readonly rc: 0 } & T) | { readonly rc: number };

/**
 * One CRYPTO exchange, checked as the C client does: the generic header is written
 * into the first 12 bytes of `body`; the echoed algoType must be the one sent (else
 * ABORTED), a non-zero rc is returned as is, then the response must hold the struct.
 */
export async function cryptoExchange<R>(
  client: HsmClient,
  action: number,
  algoType: number,
  body: Uint8Array,
  res: StructCodec<R>,
  algoSubType = 0,
): Promise<CryptoResult<{ value: R; reader: StructReader }>> {
  body.set(CryptoRequestHeader.encode({ algoType, algoSubType, affinity: 0 }, true), 0);
  const reader = await client.request(kind(Group.CRYPTO, action), body);
  const h = CryptoResponseHeader.decode(reader.bytes, reader.littleEndian);
  if (!h) throw new ProtocolError(`CRYPTO response of ${reader.length} bytes`);
  if (h.algoType !== algoType) return { rc: WhError.ABORTED };
  if (h.rc !== 0) return { rc: h.rc };
  // The answer's own packet: its tail is read in place (callers copy out what they hand on).
  const value = res.decodeView(reader.bytes, reader.littleEndian);
  if (!value) throw new ProtocolError(`${res.name}: ${reader.length} bytes, expected at least ${res.size}`);
  return { rc: 0, value, reader };
}

/** The `len` bytes a response declares at `at`, checked to be there. */
export function responseTail(what: string, r: StructReader, at: number, len: number): Uint8Array {
  if (len > r.length - at) throw new ProtocolError(`${what}: ${len} bytes declared beyond the response`);
  return r.slice(at, len);
}

/** A stored key by id, or key bytes the call imports for one operation. */
export type ImportableKeyRef = { readonly keyId: number; readonly evict?: boolean; readonly key?: undefined } | { readonly key: Uint8Array; readonly keyId?: undefined };

/**
 * Runs `op` on a stored key, or on key bytes cached for it with the usage `flags` and
 * the C client's temporary `label`; such a key is evicted by the operation's EVICT
 * option (`op` is told to set it), as wolfHSM's client does.
 */
export async function withImportedKey<T>(
  client: HsmClient,
  ref: ImportableKeyRef,
  flags: number,
  label: string,
  op: (keyId: number, evict: boolean) => Promise<CryptoResult<T>>,
): Promise<CryptoResult<T>> {
  if (ref.key === undefined) return op(ref.keyId, ref.evict ?? false);
  const cached = await client.keyCache(0, ref.key, { flags, label });
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  return op(cached.keyId, true);
}

import { ProtocolError, type HsmClient } from '../hsm-client.js';
import { WcAlgo, WcKdf } from '../../crypto/wolfcrypt.js';
import { NvmFlags, toLabel } from '../../nvm/metadata.js';
import type { StructReader } from '../../protocol/bytes.js';
import { Group, kind } from '../../protocol/groups.js';
import { CryptoRequestHeader, CryptoResponseHeader } from '../../protocol/messages/crypto-header.js';
import { CmacKdfRequest, HkdfRequest, KDF_OUTPUT_OFFSET, KdfResponse } from '../../protocol/messages/crypto-kdf.js';

/** Where a KDF result goes: back to the caller (`export`), or into the server's key cache. */
export type KdfDestination =
  | { readonly export: true }
  | { readonly export?: false; readonly keyId?: number; readonly flags?: number; readonly label?: string | Uint8Array };

export interface KdfResult {
  /** 0, or the server's (or wolfCrypt's) code. */
  readonly rc: number;
  /** The cached key's client id (0 when exported). */
  readonly keyId: number;
  /** The derived bytes when exported. */
  readonly out: Uint8Array;
}

export interface HkdfParams {
  readonly hashType: number;
  /** Inline IKM, or the id of a stored key with DERIVE usage (ignored when `ikm` is given). */
  readonly ikm?: Uint8Array;
  readonly ikmKeyId?: number;
  readonly salt?: Uint8Array;
  readonly info?: Uint8Array;
  readonly outSz: number;
}

export interface CmacKdfParams {
  /** Inline salt (16/24/32 bytes) or a stored key with DERIVE usage. */
  readonly salt?: Uint8Array;
  readonly saltKeyId?: number;
  /** Inline shared secret Z or a stored key with DERIVE usage. */
  readonly z?: Uint8Array;
  readonly zKeyId?: number;
  readonly fixedInfo?: Uint8Array;
  readonly outSz: number;
}

const EMPTY = new Uint8Array(0);
const header = (sub: number) => CryptoRequestHeader.encode({ algoType: WcAlgo.KDF, algoSubType: sub, affinity: 0 }, true);

function destination(d: KdfDestination): { flags: number; keyIdOut: number; label: Uint8Array } {
  if (d.export) return { flags: NvmFlags.EPHEMERAL, keyIdOut: 0, label: toLabel(undefined) };
  return { flags: (d.flags ?? 0) & ~NvmFlags.EPHEMERAL, keyIdOut: d.keyId ?? 0, label: toLabel(d.label) };
}

/** The C client's checks: algoType echoed, then rc, then the declared output inside the response. */
function result(r: StructReader): KdfResult {
  const h = CryptoResponseHeader.decode(r.bytes, r.littleEndian);
  if (!h || h.algoType !== WcAlgo.KDF) throw new ProtocolError('KDF response: algoType not echoed');
  if (h.rc !== 0) return { rc: h.rc, keyId: 0, out: EMPTY };
  const body = KdfResponse.decode(r.bytes, r.littleEndian);
  if (!body || body.outSz > r.length - KDF_OUTPUT_OFFSET) throw new ProtocolError('KDF response shorter than its output');
  return { rc: 0, keyId: body.keyIdOut, out: r.slice(KDF_OUTPUT_OFFSET, body.outSz) };
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/** HKDF on the server (wh_Client_HkdfMakeExportKey / MakeCacheKey). */
export async function hkdf(client: HsmClient, p: HkdfParams, to: KdfDestination = { export: true }): Promise<KdfResult> {
  const ikm = p.ikm ?? EMPTY;
  const salt = p.salt ?? EMPTY;
  const info = p.info ?? EMPTY;
  const fixed = HkdfRequest.encode(
    { ...destination(to), keyIdIn: p.ikm ? 0 : (p.ikmKeyId ?? 0), hashType: p.hashType, inKeySz: ikm.length, saltSz: salt.length, infoSz: info.length, outSz: p.outSz },
    true,
  );
  fixed.set(header(WcKdf.HKDF));
  return result(await client.request(kind(Group.CRYPTO, WcAlgo.KDF), concat(fixed, ikm, salt, info)));
}

/** The two-step CMAC KDF of SP 800-56C on the server (wh_Client_CmacKdfMakeExportKey / MakeCacheKey). */
export async function cmacKdf(client: HsmClient, p: CmacKdfParams, to: KdfDestination = { export: true }): Promise<KdfResult> {
  const salt = p.salt ?? EMPTY;
  const z = p.z ?? EMPTY;
  const fixedInfo = p.fixedInfo ?? EMPTY;
  const fixed = CmacKdfRequest.encode(
    {
      ...destination(to),
      keyIdSalt: p.salt ? 0 : (p.saltKeyId ?? 0),
      keyIdZ: p.z ? 0 : (p.zKeyId ?? 0),
      saltSz: salt.length,
      zSz: z.length,
      fixedInfoSz: fixedInfo.length,
      outSz: p.outSz,
    },
    true,
  );
  fixed.set(header(WcKdf.TWOSTEP_CMAC));
  return result(await client.request(kind(Group.CRYPTO, WcAlgo.KDF), concat(fixed, salt, z, fixedInfo)));
}

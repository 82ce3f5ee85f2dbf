import { isErasedKeyId } from '../../../keystore/key-id.js';
import { WhError } from '../../../errors.js';
import type { KdfJobResult } from '../../../crypto/kdf/jobs.js';
import { WcError, WcKdf } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import { CmacKdfRequest, HkdfRequest, KDF_OUTPUT_OFFSET, KdfResponse } from '../../../protocol/messages/crypto-kdf.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';

/** The handlers' copy buffers for stored KDF inputs (spec-keys-crypto 1.3): longer keys are NOSPACE. */
const HKDF_IKM_CAPACITY = 256;
const CMAC_KDF_SALT_CAPACITY = 32;
const CMAC_KDF_Z_CAPACITY = 256;


/** Splits the bytes after a request struct into consecutive fields; null when their sizes do not fit. */
function inputs(payload: Uint8Array, start: number, sizes: readonly number[]): Uint8Array[] | null {
  let at = start;
  const out: Uint8Array[] = [];
  for (const size of sizes) {
    if (size > payload.length - at) return null;
    out.push(payload.subarray(at, (at += size)));
  }
  return out;
}

/**
 * The common tail of both KDFs: EPHEMERAL returns the output, otherwise one owner
 * message caches it (id assigned when the number is 0) and the reply carries its id.
 */
async function answer(ctx: CryptoContext, req: CryptoRequest, r: { flags: number; keyIdOut: number; label: Uint8Array }, derived: KdfJobResult): Promise<CryptoAnswer> {
  if (derived.rc !== 0) return { rc: derived.rc };
  const le = req.littleEndian;
  if (r.flags & NvmFlags.EPHEMERAL) {
    const payload = new Uint8Array(KDF_OUTPUT_OFFSET + derived.out.length);
    payload.set(KdfResponse.encode({ keyIdOut: 0, outSz: derived.out.length }, le));
    payload.set(derived.out, KDF_OUTPUT_OFFSET);
    return { rc: 0, payload };
  }
  const cached = await ctx.keys.cacheGenerated(r.keyIdOut, r.flags, r.label, derived.out);
  derived.out.fill(0);
  if (cached.rc !== WhError.OK) return { rc: cached.rc };
  return { rc: 0, payload: KdfResponse.encode({ keyIdOut: cached.value, outSz: 0 }, le) };
}

/** A stored KDF input: ReadKeyEnforce with DERIVE (one owner message: bytes and verdict from one snapshot). */
async function storedInput(ctx: CryptoContext, clientKeyId: number, capacity: number): Promise<{ rc: number; data?: Uint8Array }> {
  const key = await ctx.keys.readForUse(clientKeyId, NvmFlags.USAGE_DERIVE, capacity);
  return key.rc === WhError.OK ? { rc: 0, data: key.value.data } : { rc: key.rc };
}

/** HKDF (algoSubType 1, spec-crypto 8.1). */
async function hkdfRequest(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = HkdfRequest.decode(req.payload, req.littleEndian);
  if (!r) return { rc: WhError.BADARGS };
  const parts = inputs(req.payload, HkdfRequest.size, [r.inKeySz, r.saltSz, r.infoSz]);
  if (!parts) return { rc: WhError.BADARGS };
  let [ikm, salt, info] = parts as [Uint8Array, Uint8Array, Uint8Array];
  let stored: Uint8Array | undefined;
  if (r.inKeySz === 0 && !isErasedKeyId(r.keyIdIn)) {
    const key = await storedInput(ctx, r.keyIdIn, HKDF_IKM_CAPACITY);
    if (!key.data) return { rc: key.rc };
    ikm = stored = key.data;
  }
  try {
    if (r.outSz > ctx.handler.config.dataLen - KDF_OUTPUT_OFFSET) return { rc: WhError.BADARGS };
    const args = { hashType: r.hashType, ikm, salt, info, outSz: r.outSz };
    const derived = await ctx.engine.run<KdfJobResult>('kdf.hkdf', args, ikm.length + salt.length + info.length + r.outSz);
    return await answer(ctx, req, r, derived);
  } finally {
    stored?.fill(0);
  }
}

/** Two-step CMAC KDF (algoSubType 2, spec-crypto 8.2): salt and Z inline, or stored keys with DERIVE. */
async function cmacKdfRequest(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = CmacKdfRequest.decode(req.payload, req.littleEndian);
  if (!r) return { rc: WhError.BADARGS };
  const parts = inputs(req.payload, CmacKdfRequest.size, [r.saltSz, r.zSz, r.fixedInfoSz]);
  if (!parts) return { rc: WhError.BADARGS };
  let [salt, z] = parts as [Uint8Array, Uint8Array, Uint8Array];
  const fixedInfo = parts[2]!;
  const stored: Uint8Array[] = [];
  try {
    if (r.saltSz === 0) {
      if (isErasedKeyId(r.keyIdSalt)) return { rc: WhError.BADARGS };
      const key = await storedInput(ctx, r.keyIdSalt, CMAC_KDF_SALT_CAPACITY);
      if (!key.data) return { rc: key.rc };
      stored.push((salt = key.data));
    }
    if (r.zSz === 0) {
      if (isErasedKeyId(r.keyIdZ)) return { rc: WhError.BADARGS };
      const key = await storedInput(ctx, r.keyIdZ, CMAC_KDF_Z_CAPACITY);
      if (!key.data) return { rc: key.rc };
      stored.push((z = key.data));
    }
    if (r.outSz === 0 || r.outSz > ctx.handler.config.dataLen - KDF_OUTPUT_OFFSET) return { rc: WhError.BADARGS };
    const args = { salt, z, fixedInfo, outSz: r.outSz };
    const derived = await ctx.engine.run<KdfJobResult>('kdf.cmacTwoStep', args, z.length + fixedInfo.length + 2 * r.outSz);
    return await answer(ctx, req, r, derived);
  } finally {
    for (const s of stored) s.fill(0);
  }
}

/** KDF (CRYPTO action 9, spec-crypto 8): the algoSubType selects the KDF; others are not compiled in. */
export const kdfFamily: CryptoFamily = async (ctx, req) => {
  if (req.algoSubType === WcKdf.HKDF) return hkdfRequest(ctx, req);
  if (req.algoSubType === WcKdf.TWOSTEP_CMAC) return cmacKdfRequest(ctx, req);
  return { rc: WcError.NOT_COMPILED_IN };
};

import { WhError, fail, ok, type Result } from '../../../errors.js';
import { isAesKeyLength } from '../../../crypto/aes/block.js';
import type { AesCbcResult } from '../../../crypto/aes/cbc.js';
import type { AesCtrResult } from '../../../crypto/aes/ctr.js';
import type { AesEcbResult } from '../../../crypto/aes/ecb.js';
import type { AesGcmDecryptResult, AesGcmEncryptResult } from '../../../crypto/aes/gcm.js';
import { AesJob } from '../../../crypto/aes/jobs.js';
import { WcCipher, WcError } from '../../../crypto/wolfcrypt.js';
import { NvmFlags } from '../../../nvm/metadata.js';
import {
  AES_IV_SIZE,
  AesBlockRequest,
  AesBlockResponse,
  AesCtrRequest,
  AesCtrResponse,
  AesGcmRequest,
  AesGcmResponse,
  splitExact,
} from '../../../protocol/messages/crypto-aes.js';
import type { CryptoAnswer, CryptoContext, CryptoFamily, CryptoRequest } from '../crypto-types.js';

/** The C server copies a stored AES key into a 32-byte buffer: a longer one is NOSPACE. */
const AES_KEY_CAPACITY = 32;

const BADARGS: CryptoAnswer = { rc: WhError.BADARGS };

/**
 * The key an AES request names (spec-crypto 4.1): a stored key when the id's number
 * is non-zero (one ReadKeyEnforce: ENCRYPT to encrypt, DECRYPT to decrypt; the
 * inline bytes are then ignored), else the inline key. It must be 16, 24 or 32 bytes.
 */
async function aesKey(ctx: CryptoContext, keyId: number, encrypt: boolean, inline: Uint8Array): Promise<Result<Uint8Array>> {
  let key = inline;
  if ((keyId & 0xff) !== 0) {
    const stored = await ctx.keys.readForUse(keyId, encrypt ? NvmFlags.USAGE_ENCRYPT : NvmFlags.USAGE_DECRYPT, AES_KEY_CAPACITY);
    if (stored.rc !== 0) return stored;
    key = stored.value.data;
  }
  return isAesKeyLength(key.length) ? ok(key) : fail(WhError.BADARGS);
}

/** AES-ECB (algoType 13): whole blocks, no state. */
async function ecb(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = AesBlockRequest.decodeView(req.payload, req.littleEndian);
  const parts = r && splitExact(r.data, [r.sz, r.keyLen]);
  if (!r || !parts) return BADARGS;
  const [input, inline] = parts as [Uint8Array, Uint8Array];
  const encrypt = r.enc !== 0;
  const key = await aesKey(ctx, r.keyId, encrypt, inline);
  if (key.rc !== 0) return key;
  const out = await ctx.engine.run<AesEcbResult>(AesJob.ECB, { key: key.value, encrypt, input }, input.length);
  if (out.rc !== 0 || !('output' in out)) return { rc: out.rc };
  return { rc: 0, payload: AesBlockResponse.encode({ sz: r.sz, data: out.output }, req.littleEndian) };
}

/** AES-CBC (algoType 2): the IV travels in the request, the next one comes back. */
async function cbc(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = AesBlockRequest.decodeView(req.payload, req.littleEndian);
  const parts = r && splitExact(r.data, [r.sz, r.keyLen, AES_IV_SIZE]);
  if (!r || !parts) return BADARGS;
  const [input, inline, iv] = parts as [Uint8Array, Uint8Array, Uint8Array];
  const encrypt = r.enc !== 0;
  const key = await aesKey(ctx, r.keyId, encrypt, inline);
  if (key.rc !== 0) return key;
  const out = await ctx.engine.run<AesCbcResult>(AesJob.CBC, { key: key.value, encrypt, iv, input }, input.length);
  if (out.rc !== 0 || !('output' in out)) return { rc: out.rc };
  return { rc: 0, payload: AesBlockResponse.encodeTail({ sz: r.sz }, [out.output, out.iv], req.littleEndian) };
}

/** AES-CTR (algoType 4): wolfCrypt's counter, keystream block and `left` travel both ways. */
async function ctr(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = AesCtrRequest.decodeView(req.payload, req.littleEndian);
  const parts = r && splitExact(r.data, [r.sz, r.keyLen, AES_IV_SIZE, AES_IV_SIZE]);
  if (!r || !parts || r.left > 16) return BADARGS;
  const [input, inline, reg, tmp] = parts as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  // enc only picks the usage flag: CTR is the same computation both ways.
  const key = await aesKey(ctx, r.keyId, r.enc !== 0, inline);
  if (key.rc !== 0) return key;
  const out = await ctx.engine.run<AesCtrResult>(AesJob.CTR, { key: key.value, input, reg, tmp, left: r.left }, input.length);
  return { rc: 0, payload: AesCtrResponse.encodeTail({ sz: r.sz, left: out.left }, [out.output, out.reg, out.tmp], req.littleEndian) };
}

/** AES-GCM (algoType 3): one request per wolfCrypt call; decryption checks a tag prefix. */
async function gcm(ctx: CryptoContext, req: CryptoRequest): Promise<CryptoAnswer> {
  const r = AesGcmRequest.decodeView(req.payload, req.littleEndian);
  if (!r) return BADARGS;
  const encrypt = r.enc !== 0;
  const parts = splitExact(r.data, [r.sz, r.keyLen, r.ivSz, r.authInSz, encrypt ? 0 : r.authTagSz]);
  if (!parts) return BADARGS;
  // The answer (28 + sz + tag after the header) must fit the comm buffer.
  if (28 + r.sz + (encrypt ? r.authTagSz : 0) > ctx.handler.config.dataLen - 12) return BADARGS;
  const [input, inline, iv, aad, tag] = parts as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const key = await aesKey(ctx, r.keyId, encrypt, inline);
  if (key.rc !== 0) return key;
  if (encrypt) {
    const args = { key: key.value, iv, aad, input, tagSize: r.authTagSz };
    const out = await ctx.engine.run<AesGcmEncryptResult>(AesJob.GCM_ENCRYPT, args, input.length + aad.length);
    if (out.rc !== 0 || !('output' in out)) return { rc: out.rc };
    return { rc: 0, payload: AesGcmResponse.encodeTail({ sz: r.sz, authTagSz: r.authTagSz }, [out.output, out.tag], req.littleEndian) };
  }
  const out = await ctx.engine.run<AesGcmDecryptResult>(AesJob.GCM_DECRYPT, { key: key.value, iv, aad, input, tag }, input.length + aad.length);
  if (out.rc !== 0 || !('output' in out)) return { rc: out.rc };
  return { rc: 0, payload: AesGcmResponse.encode({ sz: r.sz, authTagSz: 0, data: out.output }, req.littleEndian) };
}

const MODES: Readonly<Record<number, (ctx: CryptoContext, req: CryptoRequest) => Promise<CryptoAnswer>>> = {
  [WcCipher.AES_ECB]: ecb,
  [WcCipher.AES_CBC]: cbc,
  [WcCipher.AES_CTR]: ctr,
  [WcCipher.AES_GCM]: gcm,
};

/** CIPHER (action 2, spec-crypto 4): AES-ECB, CBC, CTR, GCM; other cipher types are NOT_COMPILED_IN. */
export const aesFamily: CryptoFamily = (ctx, req) => {
  const mode = Object.hasOwn(MODES, req.algoType) ? MODES[req.algoType] : undefined;
  return mode ? mode(ctx, req) : Promise.resolve({ rc: WcError.NOT_COMPILED_IN });
};

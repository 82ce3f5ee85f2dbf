import { WcError } from '../wolfcrypt.js';
import { aesCmac, isAesKeyLength } from './aes-cmac.js';
import type { KdfOutput } from './hkdf.js';

/**
 * NIST SP 800-56C rev. 2 two-step KDF with AES-CMAC, as wc_KDA_KDF_twostep_cmac:
 * extract K_dk = CMAC(salt, Z), then SP 800-108 counter mode
 * T_i = CMAC(K_dk, BE32(i) || fixedInfo), i from 1, output truncated to outSz
 * (fixedInfo is used verbatim: no L field is appended). The salt is the AES key
 * of the extract step, so it must be 16, 24 or 32 bytes (else BAD_FUNC_ARG).
 */
export function twoStepCmacKdf(salt: Uint8Array, z: Uint8Array, fixedInfo: Uint8Array, outSz: number): KdfOutput {
  if (!isAesKeyLength(salt.length)) return { rc: WcError.BAD_FUNC_ARG, out: new Uint8Array(0) };
  const kdk = aesCmac(salt, z);
  const out = new Uint8Array(outSz);
  const input = new Uint8Array(4 + fixedInfo.length);
  input.set(fixedInfo, 4);
  const view = new DataView(input.buffer);
  for (let i = 1, at = 0; at < outSz; i++) {
    view.setUint32(0, i, false);
    const t = aesCmac(kdk, input);
    out.set(t.subarray(0, outSz - at), at);
    at += t.length;
  }
  kdk.fill(0);
  return { rc: 0, out };
}

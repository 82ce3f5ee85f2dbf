import { WcError } from '../wolfcrypt.js';
import { AES_BLOCK, AesBlockCipher, adopt } from './block.js';

export interface AesEcbArgs {
  readonly key: Uint8Array;
  readonly encrypt: boolean;
  readonly input: Uint8Array;
}

export type AesEcbResult = { readonly rc: 0; readonly output: Uint8Array } | { readonly rc: number };

/** wc_AesEcbEncrypt/Decrypt: whole blocks only (BAD_LENGTH_E otherwise); an empty input is fine. */
export function aesEcb({ key, encrypt, input }: AesEcbArgs): AesEcbResult {
  if (input.length % AES_BLOCK !== 0) return { rc: WcError.BAD_LENGTH_E };
  return { rc: 0, output: adopt(new AesBlockCipher(key, encrypt ? 'encrypt' : 'decrypt').run(input)) };
}

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { WcError } from '../wolfcrypt.js';
import { AES_BLOCK, adopt, aesCipherName, own } from './block.js';

export interface AesCbcArgs {
  readonly key: Uint8Array;
  readonly encrypt: boolean;
  readonly iv: Uint8Array;
  readonly input: Uint8Array;
}

/** `output` has the input's length; `iv` is the chaining value after the call (wolfCrypt's aes->reg). */
export type AesCbcResult = { readonly rc: 0; readonly output: Uint8Array; readonly iv: Uint8Array } | { readonly rc: number };

/**
 * wolfCrypt 5.8.4 CBC as the C server runs it: encryption handles the whole blocks
 * and leaves the trailing sz mod 16 bytes as they were (the server answers the
 * input bytes there, spec-crypto 4.3); decryption of a partial block is BAD_FUNC_ARG.
 */
export function aesCbc({ key, encrypt, iv, input }: AesCbcArgs): AesCbcResult {
  const whole = input.length - (input.length % AES_BLOCK);
  if (!encrypt && whole !== input.length) return { rc: WcError.BAD_FUNC_ARG };
  if (whole === 0) return { rc: 0, output: own(input), iv: own(iv) };
  const name = aesCipherName(key, 'cbc');
  const c = encrypt ? createCipheriv(name, key, iv) : createDecipheriv(name, key, iv);
  c.setAutoPadding(false);
  let output: Uint8Array;
  if (whole === input.length) output = adopt(c.update(input));
  else {
    output = own(input); // the trailing partial block stays as it was
    output.set(c.update(input.subarray(0, whole)), 0);
  }
  const ciphertext = encrypt ? output : input;
  return { rc: 0, output, iv: own(ciphertext.subarray(whole - AES_BLOCK, whole)) };
}

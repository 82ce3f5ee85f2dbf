import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { WcError } from '../wolfcrypt.js';
import { NVM_METADATA_SIZE, decodeMetadata, encodeMetadata, type NvmMetadata } from '../../nvm/metadata.js';

/**
 * The wrapped-blob format (spec-keys-crypto 3): IV (12, random per wrap) ‖ GCM tag
 * (16) ‖ AES-GCM ciphertext under the KEK. Key blobs encrypt the 32-byte metadata
 * record (little-endian, the server's native order) followed by the key; data blobs
 * the data alone. The two AADs differ, so neither kind opens as the other.
 */
export const WRAP_IV_SIZE = 12;
export const WRAP_TAG_SIZE = 16;
export const WRAP_HEADER_SIZE = WRAP_IV_SIZE + WRAP_TAG_SIZE;
/** A wrapped key of n bytes is 60 + n bytes. */
export const WRAPPED_KEY_OVERHEAD = WRAP_HEADER_SIZE + NVM_METADATA_SIZE;

export type WrapDomain = 'key' | 'data';
const AAD: Readonly<Record<WrapDomain, Uint8Array>> = {
  key: new TextEncoder().encode('wolfHSM.keywrap.v1'),
  data: new TextEncoder().encode('wolfHSM.datawrap.v1'),
};

export const isAesGcmKeyLength = (n: number): boolean => n === 16 || n === 24 || n === 32;

export interface Sealed {
  /** 0, or BAD_FUNC_ARG for a KEK that is not an AES key. */
  readonly rc: number;
  readonly blob: Uint8Array;
}

export interface Opened {
  /** 0, BAD_FUNC_ARG (KEK length) or AES_GCM_AUTH_E (wrong KEK, tampered blob, other domain). */
  readonly rc: number;
  readonly plaintext: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const gcm = (kek: Uint8Array) => `aes-${kek.length * 8}-gcm` as CipherGCMTypes;

/** Encrypts `plaintext` under `kek` with the given IV in one domain: the whole blob. */
export function sealBlob(kek: Uint8Array, iv: Uint8Array, domain: WrapDomain, plaintext: Uint8Array): Sealed {
  if (!isAesGcmKeyLength(kek.length) || iv.length !== WRAP_IV_SIZE) return { rc: WcError.BAD_FUNC_ARG, blob: EMPTY };
  const c = createCipheriv(gcm(kek), kek, iv, { authTagLength: WRAP_TAG_SIZE });
  c.setAAD(AAD[domain]);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  const blob = new Uint8Array(WRAP_HEADER_SIZE + ct.length);
  blob.set(iv, 0);
  blob.set(c.getAuthTag(), WRAP_IV_SIZE);
  blob.set(ct, WRAP_HEADER_SIZE);
  return { rc: 0, blob };
}

/** Authenticates and decrypts a blob of one domain. */
export function openBlob(kek: Uint8Array, domain: WrapDomain, blob: Uint8Array): Opened {
  if (!isAesGcmKeyLength(kek.length) || blob.length < WRAP_HEADER_SIZE) return { rc: WcError.BAD_FUNC_ARG, plaintext: EMPTY };
  const d = createDecipheriv(gcm(kek), kek, blob.subarray(0, WRAP_IV_SIZE), { authTagLength: WRAP_TAG_SIZE });
  d.setAAD(AAD[domain]);
  d.setAuthTag(blob.subarray(WRAP_IV_SIZE, WRAP_HEADER_SIZE));
  const pt = d.update(blob.subarray(WRAP_HEADER_SIZE));
  try {
    d.final();
  } catch {
    pt.fill(0);
    return { rc: WcError.AES_GCM_AUTH_E, plaintext: EMPTY };
  }
  return { rc: 0, plaintext: new Uint8Array(pt) };
}

/** A key blob's plaintext: the metadata record (little-endian) then the key bytes. */
export function encodeKeyPlaintext(meta: NvmMetadata, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(NVM_METADATA_SIZE + key.length);
  encodeMetadata(meta, out, 0, true);
  out.set(key, NVM_METADATA_SIZE);
  return out;
}

/** The inverse of {@link encodeKeyPlaintext}; the plaintext must hold at least the metadata record. */
export function decodeKeyPlaintext(plaintext: Uint8Array): { meta: NvmMetadata; key: Uint8Array } {
  return { meta: decodeMetadata(plaintext, 0, true), key: plaintext.slice(NVM_METADATA_SIZE) };
}

import { bytes, struct } from '../../protocol/struct.js';

/**
 * CRYPTO PK ECC messages (spec-crypto 10). Payload offsets: the generic header fills
 * 0..11, the algorithm struct starts at 12; variable data follows each struct.
 * Shared by the server handler and the client.
 */

/** EC_KEYGEN (PK type 9): `sz` picks the curve when `curveId` is 0; `access` is ignored. */
export const EccKeyGenRequest = struct('CRYPTO ECC keygen request', 56, {
  sz: [12, 'u32'],
  curveId: [16, 'u32'],
  keyId: [20, 'u32'],
  flags: [24, 'u32'],
  access: [28, 'u32'],
  label: [32, bytes(24)],
});
/** keyId (client form), then `len` bytes of DER at @20: SEC1 when EPHEMERAL, else the SPKI. */
export const EccKeyGenResponse = struct('CRYPTO ECC keygen response', 20, { keyId: [12, 'u32'], len: [16, 'u32'] });

/** ECDH (PK type 3): the secret is returned (EPHEMERAL) or cached under `keyId` (0 = assign). */
export const EcdhRequest = struct('CRYPTO ECDH request', 56, {
  options: [12, 'u32'],
  privateKeyId: [16, 'u32'],
  publicKeyId: [20, 'u32'],
  flags: [24, 'u32'],
  keyId: [28, 'u32'],
  label: [32, bytes(24)],
});
/** sz (0 when cached), keyId (the cached secret's, 0 when returned), secret at @20. */
export const EcdhResponse = struct('CRYPTO ECDH response', 20, { sz: [12, 'u32'], keyId: [16, 'u32'] });

/** ECDSA_SIGN (PK type 4): `sz` bytes of digest at @24. */
export const EccSignRequest = struct('CRYPTO ECDSA sign request', 24, { options: [12, 'u32'], keyId: [16, 'u32'], sz: [20, 'u32'] });
/** sz, then the DER signature at @16. */
export const EccSignResponse = struct('CRYPTO ECDSA sign response', 16, { sz: [12, 'u32'] });

/** ECDSA_VERIFY (PK type 5): the DER signature (sigSz) then the digest (hashSz) at @28. */
export const EccVerifyRequest = struct('CRYPTO ECDSA verify request', 28, { options: [12, 'u32'], keyId: [16, 'u32'], sigSz: [20, 'u32'], hashSz: [24, 'u32'] });
/** res (1 valid, 0 invalid), pubSz, then the SPKI at @20 when EXPORTPUB was asked. */
export const EccVerifyResponse = struct('CRYPTO ECDSA verify response', 20, { res: [12, 'u32'], pubSz: [16, 'u32'] });

/** EC_MAKE_PUB: the public point of a stored private key. */
export const EccMakePubRequest = struct('CRYPTO ECC make-pub request', 20, { options: [12, 'u32'], keyId: [16, 'u32'] });
/** pubSz, then the X9.63 point at @16. */
export const EccMakePubResponse = struct('CRYPTO ECC make-pub response', 16, { pubSz: [12, 'u32'] });

/** EC_CHECK_PUB_KEY: `pubSz` bytes of X9.63 point at @28 (0: check the key alone); `curveId` is ignored. */
export const EccCheckRequest = struct('CRYPTO ECC check request', 28, { options: [12, 'u32'], keyId: [16, 'u32'], curveId: [20, 'u32'], pubSz: [24, 'u32'] });
/** ok = 1; a failed check travels in rc. */
export const EccCheckResponse = struct('CRYPTO ECC check response', 16, { ok: [12, 'u32'] });

/** Options bits. ECDH: bit 0 evicts the public key, bit 1 the private key. */
export const EccOption = { EVICT: 0x1, EXPORT_PUBLIC: 0x2, EVICT_PUBLIC: 0x1, EVICT_PRIVATE: 0x2 } as const;

/** wolfCrypt's ECC_BUFSIZE: the slot wolfHSM asks for every cached ECC key, more than a regular slot. */
export const ECC_CACHE_RESERVE = 257;

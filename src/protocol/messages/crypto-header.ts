import { struct } from '../struct.js';

/** CRYPTO (0x04) generic request header (spec-crypto 2.2); the algorithm struct starts at payload offset 12. */
export const CryptoRequestHeader = struct('CRYPTO request header', 12, { algoType: [0, 'u32'], algoSubType: [4, 'u32'], affinity: [8, 'u32'] });
/** CRYPTO generic response header (spec-crypto 2.3): the algoType echoed, the result, 0. */
export const CryptoResponseHeader = struct('CRYPTO response header', 12, { algoType: [0, 'u32'], rc: [4, 'i32'], reserved: [8, 'u32'] });
export const CRYPTO_HEADER_SIZE = 12;

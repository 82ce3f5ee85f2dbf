import { WhError, type WhRc } from '../errors.js';
import type { KeyMaterial } from '../keystore/keystore.js';
import { makeMetadata } from '../nvm/metadata.js';
import { aesMp, sheKdf } from './aes-mp.js';
import { PRNG_KEY_C, PRNG_SEED_KEY_C, SHE_KEY_SIZE, SheAction, SheSlot } from './she-constants.js';
import { aesBlock, concat } from './she-crypto.js';
import { sheGate, type SheCtx } from './she-gate.js';
import { readSheKey, sheKeyId, writeSheKeyNvm } from './she-keys.js';

/**
 * SHE's PRNG (2.10): INIT_RND advances the persisted seed under a key derived from
 * SECRET_KEY and starts the state from it; RND is AES(PRNG_KEY, state); EXTEND_SEED
 * folds client entropy into both the state and the persisted seed. Deterministic
 * from SECRET_KEY and PRNG_SEED, as the SHE specification defines it.
 */

export interface RndStatusAnswer {
  readonly rc: WhRc;
  readonly status: WhRc;
}

/** A key as a 16-byte block (wolfHSM's fixed-size buffers: shorter keys zero-padded). */
const block16 = (b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(SHE_KEY_SIZE);
  out.set(b.subarray(0, SHE_KEY_SIZE));
  return out;
};

/** The seed slot written back with its own metadata, as a 16-byte key. */
function persistSeed(c: SheCtx, old: KeyMaterial, seed: Uint8Array): WhRc {
  const meta = makeMetadata({ id: sheKeyId(c.user, SheSlot.PRNG_SEED), access: old.meta.access, flags: old.meta.flags, len: SHE_KEY_SIZE, label: old.meta.label });
  return writeSheKeyNvm(c.keys, meta, seed);
}

export function initRnd(c: SheCtx, a: { sizeOk: boolean }): RndStatusAnswer {
  const gate = sheGate(c.she, SheAction.INIT_RND);
  if (gate !== WhError.OK) return { rc: gate, status: WhError.OK };
  const failed = (rc: WhRc): RndStatusAnswer => ({ rc, status: WhError.SHE_GENERAL_ERROR });
  if (!a.sizeOk) return failed(WhError.SHE_GENERAL_ERROR);
  if (c.she.rnd) return failed(WhError.SHE_SEQUENCE_ERROR);
  const secret = readSheKey(c.keys, sheKeyId(c.user, SheSlot.SECRET_KEY));
  if (secret.rc !== WhError.OK) return failed(WhError.SHE_KEY_NOT_AVAILABLE);
  const oldSeed = readSheKey(c.keys, sheKeyId(c.user, SheSlot.PRNG_SEED));
  if (oldSeed.rc !== WhError.OK) return failed(WhError.SHE_KEY_NOT_AVAILABLE);
  const secretKey = block16(secret.value.data);
  const seed = aesBlock(sheKdf(secretKey, PRNG_SEED_KEY_C), block16(oldSeed.value.data));
  if (persistSeed(c, oldSeed.value, seed) !== WhError.OK) return failed(WhError.SHE_KEY_UPDATE_ERROR);
  c.she.rnd = { state: seed, key: sheKdf(secretKey, PRNG_KEY_C) };
  return { rc: WhError.OK, status: WhError.OK };
}

export function rnd(c: SheCtx, a: { sizeOk: boolean }): { readonly rc: WhRc; readonly rnd?: Uint8Array } {
  const gate = sheGate(c.she, SheAction.RND);
  if (gate !== WhError.OK) return { rc: gate };
  if (!a.sizeOk) return { rc: WhError.SHE_GENERAL_ERROR };
  const r = c.she.rnd;
  if (!r) return { rc: WhError.SHE_RNG_SEED };
  r.state = aesBlock(r.key, r.state);
  return { rc: WhError.OK, rnd: r.state.slice() };
}

export function extendSeed(c: SheCtx, a: { entropy: Uint8Array; sizeOk: boolean }): RndStatusAnswer {
  const gate = sheGate(c.she, SheAction.EXTEND_SEED);
  if (gate !== WhError.OK) return { rc: gate, status: WhError.OK };
  const failed = (rc: WhRc): RndStatusAnswer => ({ rc, status: WhError.SHE_RNG_SEED });
  if (!a.sizeOk) return failed(WhError.SHE_GENERAL_ERROR);
  const r = c.she.rnd;
  if (!r) return failed(WhError.SHE_RNG_SEED);
  const entropy = block16(a.entropy);
  // As wolfHSM: the state is extended before the seed is read, so it moves even if the seed write fails.
  r.state = aesMp(concat(r.state, entropy));
  const stored = readSheKey(c.keys, sheKeyId(c.user, SheSlot.PRNG_SEED));
  if (stored.rc !== WhError.OK) return failed(WhError.SHE_KEY_NOT_AVAILABLE);
  if (persistSeed(c, stored.value, aesMp(concat(block16(stored.value.data), entropy))) !== WhError.OK) return failed(WhError.SHE_KEY_UPDATE_ERROR);
  return { rc: WhError.OK, status: WhError.OK };
}

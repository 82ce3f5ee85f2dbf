import { makeKeyUpdate } from '../../she/key-update.js';
import { sheKeyId } from '../../she/she-keys.js';
import type { Phase } from './phases.js';

/** The SHE specification's example UID and an authorising MASTER_ECU_KEY. */
const UID = Uint8Array.from({ length: 15 }, (_, i) => (i === 14 ? 1 : 0));
const MASTER = Uint8Array.from({ length: 16 }, (_, i) => i);
const SLOT = 4; // KEY_1
const MASTER_SLOT = 1;
const sheKey = (iter: number, idx: number) => Uint8Array.from({ length: 16 }, (_, i) => (iter * 11 + idx * 29 + i * 5 + 1) & 0xff);
const block = (iter: number, idx: number) => Array.from({ length: 16 }, (_, i) => (iter * 3 + idx * 7 + i) & 0xff);

/**
 * SHE races on one key slot (spec-cert-she-custom 2.12: LOAD_KEY's read of the
 * slot's counter and flags and its write are one step). Every connection is client
 * 1, whose slots they share; the UID and the boot are per process.
 */
export const SHE_PHASES: readonly Phase[] = [
  {
    id: 117,
    name: 'SHE_LOAD_KEY_VS_ENC',
    clientIds: [1, 1, 1, 1],
    setup: async ({ c0 }) => {
      await c0.sheSetUid(UID);
      await c0.sheSecureBootInit(0);
      await c0.add(sheKeyId(1, MASTER_SLOT), Array.from(MASTER));
      await c0.add(sheKeyId(1, SLOT), Array.from(sheKey(0, 0)));
    },
    // A and A' encrypt with the slot; B and B' update it with counters 2i+1 and 2i+2: when B'
    // lands first, B's smaller counter must be refused, and each ciphertext is under the key
    // the slot held at that moment.
    op: ({ c, iter, idx }) => {
      if (idx < 2) return c.sheEncEcb(SLOT, block(iter, idx));
      const u = makeKeyUpdate({ uid: UID, targetSlot: SLOT, authSlot: MASTER_SLOT, authKey: MASTER, newKey: sheKey(iter, idx), counter: 2 * iter + idx - 1 });
      return c.sheLoadKey(u);
    },
  },
];

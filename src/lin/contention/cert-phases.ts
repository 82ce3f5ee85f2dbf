import { NvmFlags } from '../../nvm/metadata.js';
import { makeCert, newKeys, type Keys } from '../../testing/pki.js';
import type { Phase } from './phases.js';

/** The trusted root's NVM id in the CERT phases. */
const ROOT_ID = 0x60;

interface PhasePki {
  readonly rootA: Uint8Array;
  /** Another root with the same name and a different key: a leaf of A does not verify under it. */
  readonly rootB: Uint8Array;
  /** Two leaves issued by A (different keys). */
  readonly leaves: readonly [Uint8Array, Uint8Array];
}

let pki: Promise<PhasePki> | null = null;

/** Built once per process (ECDSA P-256, valid from a day ago for a year). */
function phasePki(): Promise<PhasePki> {
  return (pki ??= (async () => {
    const [a, b, l0, l1]: Keys[] = await Promise.all([newKeys('ec'), newKeys('ec'), newKeys('ec'), newKeys('ec')]);
    const rootSpec = { cn: 'phase root', ca: true, keyUsage: 0x06 } as const;
    const issuer = { cn: 'phase root', keys: a! };
    return {
      rootA: await makeCert({ ...rootSpec, keys: a! }),
      rootB: await makeCert({ ...rootSpec, keys: b!, serial: 2 }),
      leaves: [await makeCert({ cn: 'leaf 0', keys: l0!, issuer, serial: 10 }), await makeCert({ cn: 'leaf 1', keys: l1!, issuer, serial: 11 })],
    };
  })());
}

/**
 * CERT races (spec-cert-she-custom 1.3: VERIFY reads its roots and caches the leaf
 * key under one lock in wolfHSM). The model's verdicts come from node:crypto.
 */
export const CERT_PHASES: readonly Phase[] = [
  {
    id: 118,
    name: 'CERT_TRUSTED_VS_VERIFY',
    setup: async ({ c0 }) => {
      await c0.certAddTrusted(ROOT_ID, (await phasePki()).rootA);
    },
    // A and A' verify a leaf of root A; B stores root B as NONDESTROYABLE or root A plainly
    // (alternating); B' erases the root, which must be refused while root B is there, and
    // then verifies itself: what it finds must agree with its erase's answer.
    op: async ({ c, iter, idx }) => {
      const p = await phasePki();
      if (idx < 2) return c.certVerify(p.leaves[idx]!, ROOT_ID);
      if (idx === 2) return iter % 2 === 0 ? c.certAddTrusted(ROOT_ID, p.rootB, NvmFlags.NONDESTROYABLE) : c.certAddTrusted(ROOT_ID, p.rootA);
      await c.certEraseTrusted(ROOT_ID);
      return c.certVerify(p.leaves[0], ROOT_ID);
    },
  },
  {
    id: 119,
    name: 'CERT_VERIFY_LEAF_VS_EXPORT',
    setup: async ({ c0 }) => {
      await c0.certAddTrusted(ROOT_ID, (await phasePki()).rootA);
    },
    // A and A' verify their leaf and cache its public key under K; B exports K; B' erases the
    // root and then exports K itself, or re-adds the root (alternating). A key that appears
    // after B' saw K empty behind an erase must come from a verification that still had a root.
    op: async ({ c, K, iter, idx }) => {
      const p = await phasePki();
      if (idx < 2) return c.certVerify(p.leaves[idx]!, ROOT_ID, { keyId: K, flags: NvmFlags.USAGE_VERIFY });
      if (idx === 2) return c.keyExport(K);
      if (iter % 2 === 1) return c.certAddTrusted(ROOT_ID, p.rootA);
      await c.certEraseTrusted(ROOT_ID);
      return c.keyExport(K);
    },
  },
];

import { X509Certificate } from 'node:crypto';
import type { OwnerOp } from '../../actors/owner-ops.js';
import { WhError } from '../../errors.js';
import type { KeyCache } from '../../keystore/key-cache.js';
import { NVM_ACCESS_ANY, makeMetadata } from '../../nvm/metadata.js';

/**
 * CERT operations of the whole-HSM model. A verification's verdict comes from
 * node:crypto's X509Certificate (issuer and signature of a one-certificate chain
 * against the stored root), independent of the server's chain walk.
 */
export type HsmCertInput =
  | { readonly op: 'cert.addTrusted'; readonly client: number; readonly session: string; readonly id: number; readonly cert: readonly number[]; readonly flags: number }
  | { readonly op: 'cert.eraseTrusted'; readonly client: number; readonly session: string; readonly id: number }
  /** VERIFY of a single leaf against root `rootId`; with `keyId` (server form) the leaf's public key is cached there. */
  | { readonly op: 'cert.verify'; readonly client: number; readonly session: string; readonly chain: readonly number[]; readonly rootId: number; readonly keyId?: number; readonly keyFlags?: number };

type Run = (op: OwnerOp) => { rc: number; value?: unknown; [k: string]: unknown };

/** What the handler bounds a stored certificate by (DATA_LEN). */
const MAX_CERT = 8192;

/** True when `root` issued and signed `leaf`, and `leaf` is inside its validity. */
function issuedBy(leaf: X509Certificate, rootDer: Uint8Array): boolean {
  try {
    const root = new X509Certificate(Buffer.from(rootDer));
    const now = Date.now();
    return leaf.checkIssued(root) && leaf.verify(root.publicKey) && Date.parse(leaf.validFrom) <= now && now <= Date.parse(leaf.validTo);
  } catch {
    return false;
  }
}

export function applyCert(input: HsmCertInput, run: Run, local: KeyCache, toClient: (id: number) => number): { rc: number; value?: unknown } {
  switch (input.op) {
    case 'cert.addTrusted': {
      const meta = makeMetadata({ id: input.id, access: NVM_ACCESS_ANY, flags: input.flags, len: input.cert.length, label: new Uint8Array(24) });
      return { rc: run({ kind: 'cert.addTrusted', args: { local, meta, cert: Uint8Array.from(input.cert) } } as OwnerOp).rc };
    }
    case 'cert.eraseTrusted':
      return { rc: run({ kind: 'cert.eraseTrusted', args: { local, id: input.id } } as OwnerOp).rc };
    case 'cert.verify': {
      const reads = run({ kind: 'cert.verifyReads', args: { local, rootIds: [input.rootId], maxCertSize: MAX_CERT } } as OwnerOp);
      if (reads.rc !== WhError.OK) return { rc: reads.rc };
      const { roots } = reads.value as { roots: readonly { id: number; der: Uint8Array }[] };
      const leaf = new X509Certificate(Buffer.from(Uint8Array.from(input.chain)));
      if (!roots[0] || !issuedBy(leaf, roots[0].der)) return { rc: WhError.CERT_VERIFY };
      if (input.keyId === undefined) return { rc: WhError.OK };
      const spki = new Uint8Array(leaf.publicKey.export({ type: 'spki', format: 'der' }));
      const leafArg = { keyId: input.keyId, flags: input.keyFlags ?? 0, spki };
      const w = run({ kind: 'cert.verifyCommit', args: { local, rootIds: [input.rootId], roots, maxCertSize: MAX_CERT, inserts: [], leaf: leafArg } } as OwnerOp) as { rc: number; keyId: number | null };
      return w.rc === WhError.OK ? { rc: 0, value: toClient(w.keyId!) } : { rc: WhError.CERT_VERIFY };
    }
  }
}

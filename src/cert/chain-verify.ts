import { createHash } from 'node:crypto';
import { WhError } from '../errors.js';
import { equalBytes, splitChain } from './der.js';
import { cacheHit, type CacheRoot, type CacheSlot } from './verify-cache.js';
import { inValidity, parseCertificate, type ParsedCert } from './x509.js';

/** A trusted root as read from NVM. */
export interface RootBytes {
  readonly id: number;
  readonly der: Uint8Array;
}

/** Arguments of the `cert.verifyChain` job: plain data read in one owner message, plus the request. */
export interface VerifyChainArgs {
  /** The roots that were present, in request order (duplicates removed). */
  readonly roots: readonly RootBytes[];
  /** A read error met after those roots (0 if none): wolfHSM loads roots one by one and stops there. */
  readonly readRc: number;
  readonly chain: Uint8Array;
  /** The verification time, ms since the epoch. */
  readonly now: number;
  /** The client's verify-cache slots, or null when its cache is disabled. */
  readonly cache: readonly CacheSlot[] | null;
  readonly wantLeafKey: boolean;
}

export interface VerifyChainResult {
  /** 0, ABORTED (a root that cannot be loaded), a root read error, NOTFOUND (no root) or CERT_VERIFY. */
  readonly rc: number;
  /** Why the walk stopped, for logs and tests. */
  readonly reason: string;
  /** The SubjectPublicKeyInfo of the last end-entity certificate of the chain, when asked for. */
  readonly leafSpki: Uint8Array | null;
  /** Verified CA certificates to record in the client's verify cache (empty while it is disabled). */
  readonly inserts: readonly CacheSlot[];
}

/** A certificate the walk trusts: a loaded root or a CA verified earlier in the chain. */
interface Anchor {
  readonly cert: ParsedCert;
  /** CA certificates that may still follow below it (Infinity: unconstrained). */
  readonly maxPathLen: number;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const result = (rc: number, reason: string, extra: Partial<VerifyChainResult> = {}): VerifyChainResult => ({ rc, reason, leafSpki: null, inserts: [], ...extra });

/** May `issuer` have signed `cert`: same name (and key id when both carry one), allowed to sign certificates. */
function couldHaveIssued(issuer: ParsedCert, cert: ParsedCert): boolean {
  if (!equalBytes(issuer.parts.subject, cert.parts.issuer)) return false;
  if (cert.authorityKeyId && issuer.subjectKeyId && !equalBytes(cert.authorityKeyId, issuer.subjectKeyId)) return false;
  return issuer.keyCertSign !== false; // RFC 5280 4.2.1.3: a keyUsage without keyCertSign may not sign certificates
}

function signedBy(cert: ParsedCert, issuer: ParsedCert): boolean {
  try {
    return cert.x509.verify(issuer.publicKey);
  } catch {
    return false; // an algorithm the platform cannot verify
  }
}

/**
 * One certificate against the trust store, as a certificate manager checks a buffer:
 * a trusted issuer whose signature verifies, the validity period, no unknown critical
 * extension, and path length (a CA below an anchor whose path length is used up fails).
 * Answers the anchor it adds when the certificate is a CA, or why it fails.
 */
function check(cert: ParsedCert, store: readonly Anchor[], now: number, skipSignature: boolean): { ok: true; issuer: Anchor | null } | { ok: false; reason: string } {
  const candidates = store.filter((a) => couldHaveIssued(a.cert, cert));
  if (skipSignature) return { ok: true, issuer: candidates[0] ?? null };
  if (candidates.length === 0) return { ok: false, reason: 'no trusted issuer' };
  const issuer = candidates.find((a) => signedBy(cert, a.cert));
  if (!issuer) return { ok: false, reason: 'signature does not verify' };
  if (!inValidity(cert, now)) return { ok: false, reason: 'outside its validity period' };
  if (cert.unknownCritical) return { ok: false, reason: 'unknown critical extension' };
  if (cert.isCA && issuer.maxPathLen <= 0) return { ok: false, reason: 'path length exceeded' };
  return { ok: true, issuer };
}

const anchorBelow = (cert: ParsedCert, issuer: Anchor | null): Anchor => ({
  cert,
  maxPathLen: Math.min(cert.pathLen ?? Infinity, issuer ? issuer.maxPathLen - 1 : Infinity),
});

/**
 * VERIFY's walk (spec 1.3): load the roots, then each certificate of the chain in
 * order against everything trusted so far; a CA joins the store, an end-entity
 * certificate is the leaf. A verify-cache hit on a CA skips its signature and date
 * check. Pure: the same arguments give the same answer, on any thread.
 */
export function verifyChain(a: VerifyChainArgs): VerifyChainResult {
  const store: Anchor[] = [];
  const loaded: CacheRoot[] = [];
  for (const root of a.roots) {
    const cert = parseCertificate(root.der);
    // A certificate manager refuses a trust anchor it cannot parse or that is out of date.
    if (!cert || !inValidity(cert, a.now)) return result(WhError.ABORTED, `root 0x${root.id.toString(16)} cannot be loaded`);
    store.push({ cert, maxPathLen: cert.pathLen ?? Infinity });
    loaded.push({ id: root.id, digest: sha256(root.der) });
  }
  if (a.readRc !== 0) return result(a.readRc, 'root read failed');
  if (store.length === 0) return result(WhError.NOTFOUND, 'no trusted root');

  const elements = splitChain(a.chain);
  if (!elements || elements.length === 0) return result(WhError.CERT_VERIFY, 'malformed chain');
  let leafSpki: Uint8Array | null = null;
  const inserts: CacheSlot[] = [];
  for (const [i, der] of elements.entries()) {
    const cert = parseCertificate(der);
    if (!cert) return result(WhError.CERT_VERIFY, `certificate ${i} does not parse`);
    const hash = a.cache ? sha256(der) : null;
    const hit = hash !== null && cert.isCA && cacheHit(a.cache!, hash, loaded);
    const c = check(cert, store, a.now, hit);
    if (!c.ok) return result(WhError.CERT_VERIFY, `certificate ${i}: ${c.reason}`, { inserts });
    if (cert.isCA) {
      store.push(anchorBelow(cert, c.issuer));
      if (hash !== null) inserts.push({ hash, roots: loaded });
    } else if (a.wantLeafKey) {
      leafSpki = cert.parts.spki.slice();
    }
  }
  return result(WhError.OK, 'verified', { leafSpki, inserts });
}

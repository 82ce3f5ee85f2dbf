import { X509Certificate, type KeyObject } from 'node:crypto';
import { AuthorityKeyIdentifier, BasicConstraints, Certificate } from 'pkijs';
import { certificateParts, type CertificateParts } from './der.js';

/** What verification needs from one certificate: pkijs for the extensions and dates, node:crypto for the key. */
export interface ParsedCert {
  readonly der: Uint8Array;
  readonly parts: CertificateParts;
  readonly x509: X509Certificate;
  readonly publicKey: KeyObject;
  readonly notBefore: number;
  readonly notAfter: number;
  /** basicConstraints cA. */
  readonly isCA: boolean;
  /** basicConstraints pathLenConstraint, when present. */
  readonly pathLen: number | null;
  /** The keyUsage keyCertSign bit; null without a keyUsage extension. */
  readonly keyCertSign: boolean | null;
  readonly subjectKeyId: Uint8Array | null;
  readonly authorityKeyId: Uint8Array | null;
  /** A critical extension this verifier does not process (RFC 5280 4.2: such a certificate must be rejected). */
  readonly unknownCritical: boolean;
}

const Ext = {
  SUBJECT_KEY_ID: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  BASIC_CONSTRAINTS: '2.5.29.19',
  AUTHORITY_KEY_ID: '2.5.29.35',
} as const;

/** Extensions whose criticality does not make a certificate unusable here (processed, or with no bearing on a chain check). */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  Ext.SUBJECT_KEY_ID,
  Ext.KEY_USAGE,
  Ext.BASIC_CONSTRAINTS,
  Ext.AUTHORITY_KEY_ID,
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.37', // extKeyUsage
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
]);

const KEY_CERT_SIGN = 0x04; // bit 5 of the first keyUsage byte

/**
 * The value bytes of an asn1js BIT STRING (without the unused-bits byte) or OCTET
 * STRING as pkijs hands them out, by shape: asn1js is pkijs's dependency, not ours.
 */
function valueBytes(v: unknown): Uint8Array | null {
  const block = v && typeof v === 'object' && 'valueBlock' in v ? (v as { valueBlock: unknown }).valueBlock : null;
  const view = block && typeof block === 'object' && 'valueHexView' in block ? (block as { valueHexView: unknown }).valueHexView : null;
  return view instanceof Uint8Array ? new Uint8Array(view) : null;
}

/** Parses a DER certificate; null when either parser refuses it or its outline is not a certificate's. */
export function parseCertificate(der: Uint8Array): ParsedCert | null {
  const parts = certificateParts(der);
  if (!parts) return null;
  try {
    const x509 = new X509Certificate(der);
    const cert = Certificate.fromBER(der);
    let isCA = false;
    let pathLen: number | null = null;
    let keyCertSign: boolean | null = null;
    let subjectKeyId: Uint8Array | null = null;
    let authorityKeyId: Uint8Array | null = null;
    let unknownCritical = false;
    for (const e of cert.extensions ?? []) {
      const v: unknown = e.parsedValue;
      if (e.critical && !KNOWN_EXTENSIONS.has(e.extnID)) unknownCritical = true;
      if (e.extnID === Ext.BASIC_CONSTRAINTS && v instanceof BasicConstraints) {
        isCA = v.cA;
        if (typeof v.pathLenConstraint === 'number') pathLen = v.pathLenConstraint;
        else if (v.pathLenConstraint !== undefined) pathLen = v.pathLenConstraint.valueBlock.valueDec;
      } else if (e.extnID === Ext.KEY_USAGE) {
        const bits = valueBytes(v);
        keyCertSign = bits !== null && bits.length > 0 && (bits[0]! & KEY_CERT_SIGN) !== 0;
      } else if (e.extnID === Ext.SUBJECT_KEY_ID) {
        subjectKeyId = valueBytes(v);
      } else if (e.extnID === Ext.AUTHORITY_KEY_ID && v instanceof AuthorityKeyIdentifier && v.keyIdentifier) {
        authorityKeyId = valueBytes(v.keyIdentifier);
      }
    }
    return {
      der,
      parts,
      x509,
      publicKey: x509.publicKey,
      notBefore: cert.notBefore.value.getTime(),
      notAfter: cert.notAfter.value.getTime(),
      isCA,
      pathLen,
      keyCertSign,
      subjectKeyId,
      authorityKeyId,
      unknownCritical,
    };
  } catch {
    return null;
  }
}

/** Within its validity period at `now` (ms since the epoch). */
export const inValidity = (c: ParsedCert, now: number): boolean => c.notBefore <= now && now <= c.notAfter;

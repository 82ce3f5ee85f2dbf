import { AttributeCertificateV2 } from 'pkijs';
import { WhError } from '../errors.js';
import { AsnError } from './cert-codes.js';
import { signedParts } from './der.js';
import { keyFits, signatureScheme, verifySignature } from './signature.js';
import { parseCertificate } from './x509.js';

/** Arguments of the `cert.verifyAcert` job: the root as read from NVM and the attribute certificate. */
export interface VerifyAcertArgs {
  readonly root: Uint8Array;
  readonly acert: Uint8Array;
}

/**
 * VERIFY_ACERT (spec 1.5): the attribute certificate's signature against the root's
 * public key, nothing else (no chain, dates or holder). A root that does not parse
 * answers ASN_PARSE_E, one without a usable key ABORTED; an attribute certificate
 * that does not parse ASN_PARSE_E; an algorithm that does not fit the key
 * ASN_SIG_OID_E and a wrong signature ASN_SIG_CONFIRM_E, both answered CERT_VERIFY
 * by the handler.
 */
export function verifyAcert(a: VerifyAcertArgs): number {
  const root = parseCertificate(a.root);
  if (!root) return AsnError.PARSE;
  if (!root.publicKey.asymmetricKeyType) return WhError.ABORTED;
  const parts = signedParts(a.acert);
  if (!parts) return AsnError.PARSE;
  try {
    AttributeCertificateV2.fromBER(a.acert);
  } catch {
    return AsnError.PARSE;
  }
  const scheme = signatureScheme(parts.algorithm);
  if (!scheme || !keyFits(scheme, root.publicKey)) return AsnError.SIG_OID;
  return verifySignature(scheme, root.publicKey, parts.signed, parts.signature) ? WhError.OK : AsnError.SIG_CONFIRM;
}

/** The two signature failures are a verification answer, not a server error. */
export const acertAnswer = (rc: number): number => (rc === AsnError.SIG_CONFIRM || rc === AsnError.SIG_OID ? WhError.CERT_VERIFY : rc);

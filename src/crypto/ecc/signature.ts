import { Tag, bytesToBigint, children, readTlv } from '../der.js';

/** A positive DER INTEGER in minimal form, or null. */
function positiveInteger(body: Uint8Array): bigint | null {
  if (body.length === 0 || body[0]! & 0x80) return null;
  if (body.length > 1 && body[0] === 0 && !(body[1]! & 0x80)) return null;
  return bytesToBigint(body);
}

/**
 * ECDSA-Sig-Value `SEQUENCE { INTEGER r, INTEGER s }` as wolfCrypt's strict decoder
 * reads it: exactly the given bytes, minimal non-negative integers. Null is
 * wolfCrypt's ASN_ECC_KEY_E.
 */
export function decodeDerSignature(sig: Uint8Array): { r: bigint; s: bigint } | null {
  const t = readTlv(sig);
  if (!t || t.tag !== Tag.SEQUENCE || t.end !== sig.length) return null;
  const parts = children(t.body);
  if (!parts || parts.length !== 2 || parts[0]!.tag !== Tag.INTEGER || parts[1]!.tag !== Tag.INTEGER) return null;
  const r = positiveInteger(parts[0]!.body);
  const s = positiveInteger(parts[1]!.body);
  return r === null || s === null ? null : { r, s };
}

import { createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Test PKI: certificates built with pkijs over node's WebCrypto, so chains of every
 * shape (RSA and ECDSA, expired, not yet valid, non-CA intermediates, path length)
 * are made on the spot instead of stored.
 */

export type KeyKind = 'rsa' | 'ec';
export interface Keys {
  readonly kind: KeyKind;
  readonly pair: webcrypto.CryptoKeyPair;
}

const subtle = webcrypto.subtle;
const DAY = 86_400_000;

export async function newKeys(kind: KeyKind): Promise<Keys> {
  const alg =
    kind === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  return { kind, pair: (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair };
}

export interface CertSpec {
  readonly cn: string;
  readonly keys: Keys;
  /** The issuer's name and keys; absent: self-signed. */
  readonly issuer?: { readonly cn: string; readonly keys: Keys };
  readonly ca?: boolean;
  readonly pathLen?: number;
  /** keyUsage first byte (e.g. 0x06 keyCertSign|cRLSign, 0x80 digitalSignature); absent: no keyUsage. */
  readonly keyUsage?: number;
  /** Validity relative to `at` (default: from a day before to a year after). */
  readonly at?: number;
  readonly fromDays?: number;
  readonly toDays?: number;
  readonly serial?: number;
  /** Adds a critical extension nobody knows. */
  readonly unknownCritical?: boolean;
}

function name(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: 'actorhsm test' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    ],
  });
}

async function keyId(keys: Keys): Promise<ArrayBuffer> {
  const spki = new Uint8Array(await subtle.exportKey('spki', keys.pair.publicKey));
  const h = createHash('sha1').update(spki).digest();
  return h.buffer.slice(h.byteOffset, h.byteOffset + h.length) as ArrayBuffer;
}

const ext = (extnID: string, critical: boolean, value: asn1js.BaseBlock) => new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });

/** One DER certificate as `spec` describes it, signed by its issuer (SHA-256). */
export async function makeCert(spec: CertSpec): Promise<Uint8Array> {
  const at = spec.at ?? Date.now();
  const issuer = spec.issuer ?? { cn: spec.cn, keys: spec.keys };
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: spec.serial ?? Math.floor(Math.random() * 1e9) });
  cert.issuer = name(issuer.cn);
  cert.subject = name(spec.cn);
  cert.notBefore.value = new Date(at + (spec.fromDays ?? -1) * DAY);
  cert.notAfter.value = new Date(at + (spec.toDays ?? 365) * DAY);
  const exts: pkijs.Extension[] = [];
  if (spec.ca !== undefined) {
    const bc = new pkijs.BasicConstraints({ cA: spec.ca, ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}) });
    exts.push(ext('2.5.29.19', true, bc.toSchema()));
  }
  if (spec.keyUsage !== undefined) exts.push(ext('2.5.29.15', true, new asn1js.BitString({ valueHex: new Uint8Array([spec.keyUsage]).buffer, unusedBits: 1 })));
  exts.push(ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: await keyId(spec.keys) })));
  exts.push(ext('2.5.29.35', false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: await keyId(issuer.keys) }) }).toSchema()));
  if (spec.unknownCritical) exts.push(ext('1.2.3.4.5.6.7', true, new asn1js.Null()));
  cert.extensions = exts;
  await cert.subjectPublicKeyInfo.importKey(spec.keys.pair.publicKey);
  await cert.sign(issuer.keys.pair.privateKey, 'SHA-256');
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

/** The SubjectPublicKeyInfo of `keys`, as a cached leaf key holds it. */
export async function spkiOf(keys: Keys): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('spki', keys.pair.publicKey));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A root, an intermediate CA and a leaf of one key kind: the usual three-level PKI. */
export interface Pki {
  readonly rootKeys: Keys;
  readonly interKeys: Keys;
  readonly leafKeys: Keys;
  readonly root: Uint8Array;
  readonly inter: Uint8Array;
  readonly leaf: Uint8Array;
  /** Intermediate then leaf: what VERIFY takes. */
  readonly chain: Uint8Array;
}

export async function makePki(kind: KeyKind, tag: string, at = Date.now()): Promise<Pki> {
  const [rootKeys, interKeys, leafKeys] = await Promise.all([newKeys(kind), newKeys(kind), newKeys(kind)]);
  const root = await makeCert({ cn: `${tag} root`, keys: rootKeys, ca: true, keyUsage: 0x06, at });
  const inter = await makeCert({ cn: `${tag} intermediate`, keys: interKeys, issuer: { cn: `${tag} root`, keys: rootKeys }, ca: true, pathLen: 0, keyUsage: 0x06, at });
  const leaf = await makeCert({ cn: `${tag} leaf`, keys: leafKeys, issuer: { cn: `${tag} intermediate`, keys: interKeys }, ca: false, keyUsage: 0x80, at });
  return { rootKeys, interKeys, leafKeys, root, inter, leaf, chain: concat(inter, leaf) };
}

const SIG_ALG: Record<KeyKind, { oid: string; params: boolean; sign: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams }> = {
  rsa: { oid: '1.2.840.113549.1.1.11', params: true, sign: 'RSASSA-PKCS1-v1_5' },
  ec: { oid: '1.2.840.10045.4.3.2', params: false, sign: { name: 'ECDSA', hash: 'SHA-256' } },
};

/** ECDSA-Sig-Value DER from WebCrypto's raw r‖s. */
function ecdsaDer(raw: Uint8Array): ArrayBuffer {
  const half = raw.length / 2;
  const int = (b: Uint8Array) => new asn1js.Integer({ valueHex: (b[0]! & 0x80 ? concat(Uint8Array.of(0), b) : b).slice().buffer });
  return new asn1js.Sequence({ value: [int(raw.subarray(0, half)), int(raw.subarray(half))] }).toBER(false);
}

/** The attribute certificate `template` with the same content, re-signed (SHA-256) by `keys`, both algorithm fields updated. */
export async function resignAcert(template: Uint8Array, keys: Keys): Promise<Uint8Array> {
  const ac = pkijs.AttributeCertificateV2.fromBER(template);
  const s = SIG_ALG[keys.kind];
  const alg = () => new pkijs.AlgorithmIdentifier({ algorithmId: s.oid, ...(s.params ? { algorithmParams: new asn1js.Null() } : {}) });
  ac.acinfo.signature = alg();
  const info = ac.acinfo.toSchema();
  let sig = new Uint8Array(await subtle.sign(s.sign, keys.pair.privateKey, info.toBER(false)));
  if (keys.kind === 'ec') sig = new Uint8Array(ecdsaDer(sig));
  const seq = new asn1js.Sequence({ value: [info, alg().toSchema(), new asn1js.BitString({ valueHex: sig.buffer })] });
  return new Uint8Array(seq.toBER(false));
}

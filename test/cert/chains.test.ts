import { beforeAll, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction, CertVerifyMultiRootRequest, CertVerifyResponse } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';
import { concat, makeCert, makePki, newKeys, type Pki } from './helpers/pki.js';

/** Certificates are made valid around AT; the server's clock is pinned there unless a test moves it. */
const AT = Date.parse('2030-06-01T00:00:00Z');
const DAY = 86_400_000;

let rsa: Pki;
let ec: Pki;
beforeAll(async () => {
  [rsa, ec] = await Promise.all([makePki('rsa', 'rsa', AT), makePki('ec', 'ec', AT)]);
}, 60_000);

async function setup(roots: Record<number, Uint8Array>, clock = AT) {
  const t = certServer({ cert: { now: () => clock } });
  const client = t.connect().client;
  await client.commInit(1);
  for (const [id, der] of Object.entries(roots)) expect(await client.cert.addTrusted(Number(id), der)).toBe(0);
  return { ...t, client };
}

describe('CERT VERIFY: chains made with pkijs', () => {
  it('RSA and ECDSA chains verify against their own root and fail against the other (CERT_VERIFY)', async () => {
    const { client } = await setup({ 0x41: rsa.root, 0x42: ec.root });
    expect(await client.cert.verify(rsa.chain, 0x41)).toEqual({ rc: 0, keyId: 0 });
    expect(await client.cert.verify(ec.chain, 0x42)).toEqual({ rc: 0, keyId: 0 });
    expect((await client.cert.verify(rsa.chain, 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(ec.chain, 0x41)).rc).toBe(WhError.CERT_VERIFY);
    // The intermediate alone verifies (it is a CA issued by the root); the leaf alone has no trusted issuer.
    expect((await client.cert.verify(rsa.inter, 0x41)).rc).toBe(0);
    expect((await client.cert.verify(rsa.leaf, 0x41)).rc).toBe(WhError.CERT_VERIFY);
    // Order matters: the leaf first finds no issuer yet.
    expect((await client.cert.verify(concat(rsa.leaf, rsa.inter), 0x41)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('VERIFY_MULTI_ROOT: any loaded root anchors; absent ids are skipped; none present → NOTFOUND; 0 or 9 roots → BADARGS', async () => {
    const { client } = await setup({ 0x41: rsa.root, 0x42: ec.root });
    expect((await client.cert.verifyMultiRoot(ec.chain, [0x41, 0x42])).rc).toBe(0);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [0x99, 0x41, 0x41])).rc).toBe(0);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [0x42])).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [0x98, 0x99])).rc).toBe(WhError.NOTFOUND);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [])).rc).toBe(WhError.BADARGS);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [1, 2, 3, 4, 5, 6, 7, 8, 0x41])).rc).toBe(WhError.BADARGS);
    expect((await client.cert.verifyMultiRoot(rsa.chain, [1, 2, 3, 4, 5, 6, 7, 0x41])).rc).toBe(0);
  });

  it('dates: an expired or not yet valid certificate fails, at the verification time the server uses', async () => {
    const leafKeys = await newKeys('ec');
    const issuer = { cn: 'ec intermediate', keys: ec.interKeys };
    const expired = await makeCert({ cn: 'old leaf', keys: leafKeys, issuer, ca: false, at: AT, fromDays: -30, toDays: -1 });
    const future = await makeCert({ cn: 'new leaf', keys: leafKeys, issuer, ca: false, at: AT, fromDays: 1, toDays: 30 });
    const { client } = await setup({ 0x42: ec.root });
    expect((await client.cert.verify(concat(ec.inter, expired), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(ec.inter, future), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    const later = await setup({ 0x42: ec.root }, AT + 2 * DAY);
    expect((await later.client.cert.verify(concat(ec.inter, future), 0x42)).rc).toBe(0);
    expect((await later.client.cert.verify(concat(ec.inter, expired), 0x42)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('a root that cannot be loaded (not a certificate, or expired) → ABORTED; an absent root → NOTFOUND', async () => {
    const oldRoot = await makeCert({ cn: 'ec root', keys: ec.rootKeys, ca: true, keyUsage: 0x06, at: AT, fromDays: -100, toDays: -1 });
    const { client } = await setup({ 0x50: Uint8Array.from([0x30, 0x03, 1, 2, 3]), 0x51: oldRoot, 0x42: ec.root });
    expect((await client.cert.verify(ec.chain, 0x50)).rc).toBe(WhError.ABORTED);
    expect((await client.cert.verify(ec.chain, 0x51)).rc).toBe(WhError.ABORTED);
    expect((await client.cert.verify(ec.chain, 0x77)).rc).toBe(WhError.NOTFOUND);
    // Roots load in order: a bad one after a good one still fails the request.
    expect((await client.cert.verifyMultiRoot(ec.chain, [0x42, 0x50])).rc).toBe(WhError.ABORTED);
  });

  it('CA rules: a non-CA intermediate cannot issue, a used-up path length stops a CA, keyUsage without keyCertSign cannot sign', async () => {
    const [k1, k2, k3] = await Promise.all([newKeys('ec'), newKeys('ec'), newKeys('ec')]);
    const root = { cn: 'ec root', keys: ec.rootKeys };
    // Not a CA (no basicConstraints cA) in the middle of the chain.
    const notCa = await makeCert({ cn: 'not a ca', keys: k1, issuer: root, ca: false, at: AT });
    const underNotCa = await makeCert({ cn: 'leaf', keys: k2, issuer: { cn: 'not a ca', keys: k1 }, ca: false, at: AT });
    // ec.inter has pathLen 0: a CA below it is one level too deep.
    const subCa = await makeCert({ cn: 'sub ca', keys: k1, issuer: { cn: 'ec intermediate', keys: ec.interKeys }, ca: true, keyUsage: 0x06, at: AT });
    const underSubCa = await makeCert({ cn: 'deep leaf', keys: k2, issuer: { cn: 'sub ca', keys: k1 }, ca: false, at: AT });
    // A CA whose keyUsage lacks keyCertSign.
    const noSign = await makeCert({ cn: 'no sign ca', keys: k3, issuer: root, ca: true, keyUsage: 0x80, at: AT });
    const underNoSign = await makeCert({ cn: 'leaf 3', keys: k2, issuer: { cn: 'no sign ca', keys: k3 }, ca: false, at: AT });
    // A critical extension nobody knows.
    const critical = await makeCert({ cn: 'odd leaf', keys: k2, issuer: { cn: 'ec intermediate', keys: ec.interKeys }, ca: false, at: AT, unknownCritical: true });
    const { client } = await setup({ 0x42: ec.root });
    expect((await client.cert.verify(notCa, 0x42)).rc).toBe(0); // fine as a leaf
    expect((await client.cert.verify(concat(notCa, underNotCa), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(ec.inter, subCa), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(ec.inter, subCa, underSubCa), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(noSign, underNoSign), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(noSign, 0x42)).rc).toBe(0);
    expect((await client.cert.verify(concat(ec.inter, critical), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    // Without the path-length limit the same depth is fine.
    const openInter = await makeCert({ cn: 'open intermediate', keys: ec.interKeys, issuer: root, ca: true, keyUsage: 0x06, at: AT });
    const subCa2 = await makeCert({ cn: 'sub ca', keys: k1, issuer: { cn: 'open intermediate', keys: ec.interKeys }, ca: true, keyUsage: 0x06, at: AT });
    expect((await client.cert.verify(concat(openInter, subCa2, underSubCa), 0x42)).rc).toBe(0);
  });

  it('malformed chains: truncated, trailing garbage, not a SEQUENCE → CERT_VERIFY; an empty chain → BADARGS', async () => {
    const { client } = await setup({ 0x42: ec.root });
    expect((await client.cert.verify(ec.chain.subarray(0, ec.chain.length - 1), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(ec.chain, Uint8Array.from([0x30, 0x05, 0])), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(concat(ec.chain, Uint8Array.from([0x04, 0x00])), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect((await client.cert.verify(new Uint8Array(0), 0x42)).rc).toBe(WhError.BADARGS);
    const bad = ec.leaf.slice();
    bad[bad.length - 5]! ^= 0x01; // the signature no longer verifies
    expect((await client.cert.verify(concat(ec.inter, bad), 0x42)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('a root larger than the largest certificate → BUFFER_SIZE (read error returned as is)', async () => {
    const t = certServer({ cert: { now: () => AT, maxCertSize: ec.root.length } });
    const client = t.connect().client;
    expect(await client.cert.addTrusted(0x41, rsa.root)).toBe(0);
    expect(await client.cert.addTrusted(0x42, ec.root)).toBe(0);
    expect(rsa.root.length).toBeGreaterThan(ec.root.length);
    expect((await client.cert.verify(rsa.chain, 0x41)).rc).toBe(WhError.BUFFER_SIZE);
    expect((await client.cert.verify(ec.inter, 0x42)).rc).toBe(0);
  });

  it('a big-endian VERIFY_MULTI_ROOT: header fields and the root id list in its byte order, the answer too', async () => {
    const { server, client } = await setup({ 0x0142: ec.root });
    const raw = server.connectMemory().client;
    const ids = Uint8Array.from([0x00, 0x99, 0x01, 0x42]); // 0x0099 (absent), 0x0142
    const payload = CertVerifyMultiRootRequest.encode({ certLen: ec.chain.length, numRoots: 2, flags: 1, cachedKeyFlags: 0, keyId: 0x0105, data: concat(ids, ec.chain) }, false);
    const p = decodePacket(await raw.request(encodePacket({ magic: 0xa501, kind: kind(Group.CERT, CertAction.VERIFY_MULTI_ROOT), seq: 1, aux: 0, littleEndian: false }, payload)))!;
    expect(CertVerifyResponse.decode(p.payload, false)).toEqual({ rc: 0, keyId: 0x0105 }); // client 0: a global key
    expect((await client.keyExport(0x0105)).rc).toBe(0);
  });
});

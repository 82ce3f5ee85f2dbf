import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AsnError } from '../../src/cert/cert-codes.js';
import { WhError } from '../../src/errors.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction, CertVerifyAcertRequest } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';
import { makeCert, newKeys, resignAcert, type Keys } from './helpers/pki.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/cert/${name}`, import.meta.url)));
const ACERT = fixture('trace-acert.der');
const ECC_ROOT = fixture('trace-acert-root-ecc.der');

let rsaKeys: Keys;
let rsaRoot: Uint8Array;
let ecKeys: Keys;
let ecRoot: Uint8Array;
beforeAll(async () => {
  [rsaKeys, ecKeys] = await Promise.all([newKeys('rsa'), newKeys('ec')]);
  rsaRoot = await makeCert({ cn: 'acert rsa root', keys: rsaKeys, ca: true });
  ecRoot = await makeCert({ cn: 'acert ec root', keys: ecKeys, ca: true });
}, 60_000);

async function setup() {
  const t = certServer();
  const client = t.connect().client;
  expect(await client.cert.addTrusted(1, ECC_ROOT)).toBe(0);
  expect(await client.cert.addTrusted(2, rsaRoot)).toBe(0);
  expect(await client.cert.addTrusted(3, ecRoot)).toBe(0);
  return { ...t, client };
}

describe('CERT VERIFY_ACERT: an attribute certificate signature against a root key', () => {
  it('the recorded ACERT verifies with its ECDSA root; with an RSA root the algorithm does not fit → CERT_VERIFY', async () => {
    const { client } = await setup();
    expect(await client.cert.verifyAcert(ACERT, 1)).toBe(0);
    expect(await client.cert.verifyAcert(ACERT, 2)).toBe(WhError.CERT_VERIFY);
    expect(await client.cert.verifyAcert(ACERT, 3)).toBe(WhError.CERT_VERIFY); // ECDSA, another key
  });

  it('re-signed with RSA and with a new ECDSA key: each verifies only with its own root (signature only, no dates or chain)', async () => {
    const { client } = await setup();
    const byRsa = await resignAcert(ACERT, rsaKeys);
    const byEc = await resignAcert(ACERT, ecKeys);
    expect(await client.cert.verifyAcert(byRsa, 2)).toBe(0);
    expect(await client.cert.verifyAcert(byRsa, 1)).toBe(WhError.CERT_VERIFY);
    expect(await client.cert.verifyAcert(byEc, 3)).toBe(0);
    expect(await client.cert.verifyAcert(byEc, 1)).toBe(WhError.CERT_VERIFY);
    const tampered = byRsa.slice();
    tampered[tampered.length - 3]! ^= 0x40;
    expect(await client.cert.verifyAcert(tampered, 2)).toBe(WhError.CERT_VERIFY);
  });

  it('errors: absent root → NOTFOUND; a root or ACERT that does not parse → ASN_PARSE_E; short request → ABORTED; cert_len beyond → BADARGS', async () => {
    const { client } = await setup();
    expect(await client.cert.addTrusted(9, Uint8Array.from([1, 2, 3]))).toBe(0);
    expect(await client.cert.verifyAcert(ACERT, 0x55)).toBe(WhError.NOTFOUND);
    expect(await client.cert.verifyAcert(ACERT, 9)).toBe(AsnError.PARSE);
    expect(await client.cert.verifyAcert(ACERT.subarray(0, 100), 1)).toBe(AsnError.PARSE);
    expect(await client.cert.verifyAcert(ECC_ROOT, 1)).toBe(AsnError.PARSE); // an X.509 certificate is not an ACERT
    const short = await client.request(kind(Group.CERT, CertAction.VERIFY_ACERT), new Uint8Array(7));
    expect([short.length, short.i32(0)]).toEqual([8, WhError.ABORTED]);
    const req = CertVerifyAcertRequest.encode({ certLen: ACERT.length + 1, rootId: 1, data: ACERT }, true);
    expect((await client.request(kind(Group.CERT, CertAction.VERIFY_ACERT), req)).i32(0)).toBe(WhError.BADARGS);
  });
});

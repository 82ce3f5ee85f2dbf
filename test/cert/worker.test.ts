import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { certServer } from './helpers/cert-server.js';
import { makePki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/cert/${name}`, import.meta.url)));

const openPool = poolPerTest();

describe('CERT jobs in the worker pool', () => {
  it('chain walk and ACERT check run in a worker (inlineBelow 0) with the same answers; the leaf key crosses back intact', async () => {
    const engine = openPool({ inlineBelow: 0, threads: 1 });
    const pki = await makePki('ec', 'pool', AT);
    const { connect } = certServer({ engine, cert: { now: () => AT } });
    const client = connect().client;
    await client.commInit(1);
    expect(await client.cert.addTrusted(0x42, pki.root)).toBe(0);
    expect(await client.cert.verify(pki.chain, 0x42, { cacheLeafKey: { keyId: 0x11 } })).toEqual({ rc: 0, keyId: 0x11 });
    expect((await client.keyExport(0x11)).rc).toBe(0);
    expect((await client.cert.verify(pki.leaf, 0x42)).rc).toBe(-2005);
    expect(await client.cert.addTrusted(1, fixture('trace-acert-root-ecc.der'))).toBe(0);
    expect(await client.cert.verifyAcert(fixture('trace-acert.der'), 1)).toBe(0);
    expect(await client.cert.verifyAcert(fixture('trace-acert.der'), 0x42)).toBe(-2005);
  }, 60_000);
});

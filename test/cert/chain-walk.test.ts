import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type VerifyChainArgs } from '../../src/cert/chain-verify.js';
import { WhError } from '../../src/errors.js';
import { concat, makeCert, makePki, newKeys, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
let pki: Pki;
beforeAll(async () => {
  pki = await makePki('ec', 'walk', AT);
}, 60_000);

const run = (a: Partial<VerifyChainArgs>) => verifyChain({ roots: [{ id: 1, der: pki.root }], readRc: 0, chain: pki.chain, now: AT, cache: [], wantLeafKey: false, ...a });

describe('the chain walk job (pure): each rule fails where and why it should', () => {
  it('verified: CAs are offered to the verify cache with the loaded roots; the leaf SPKI only when asked; nothing offered with the cache off', () => {
    const ok = run({ wantLeafKey: true });
    expect([ok.rc, ok.reason, ok.inserts.length, ok.inserts[0]!.roots.map((r) => r.id)]).toEqual([0, 'verified', 1, [1]]);
    expect(ok.leafSpki!.length).toBeGreaterThan(0);
    expect(run({}).leafSpki).toBeNull();
    expect(run({ cache: null }).inserts).toEqual([]);
  });

  it('reasons: issuer, signature, dates, path length, order of the root loading', async () => {
    const k = await newKeys('ec');
    const sub = await makeCert({ cn: 'sub', keys: k, issuer: { cn: 'walk intermediate', keys: pki.interKeys }, ca: true, at: AT });
    expect(run({ chain: pki.leaf }).reason).toBe('certificate 0: no trusted issuer');
    const forged = pki.leaf.slice();
    forged[forged.length - 4]! ^= 1;
    expect(run({ chain: concat(pki.inter, forged) }).reason).toBe('certificate 1: signature does not verify');
    expect(run({ now: AT + 400 * 86_400_000 }).rc).toBe(WhError.ABORTED); // the root itself expired: not loadable
    expect(run({ chain: concat(pki.inter, sub) }).reason).toBe('certificate 1: path length exceeded');
    expect(run({ readRc: WhError.BUFFER_SIZE }).rc).toBe(WhError.BUFFER_SIZE);
    expect(run({ roots: [{ id: 2, der: Uint8Array.of(1) }], readRc: WhError.BUFFER_SIZE }).rc).toBe(WhError.ABORTED);
    expect(run({ roots: [] }).rc).toBe(WhError.NOTFOUND);
    expect(run({ chain: Uint8Array.of(0x30, 0x82, 0x10) }).reason).toBe('malformed chain');
  });

  it('a verify-cache hit on a CA skips its signature and date checks; a miss (cache off, other root bytes) does not', async () => {
    const short = await makeCert({ cn: 'walk intermediate', keys: pki.interKeys, issuer: { cn: 'walk root', keys: pki.rootKeys }, ca: true, keyUsage: 0x06, at: AT, toDays: 10 });
    const chain = concat(short, pki.leaf);
    const primed = run({ chain });
    expect(primed.inserts).toHaveLength(1);
    const later = AT + 20 * 86_400_000;
    expect(run({ chain, now: later, cache: [] }).reason).toBe('certificate 0: outside its validity period');
    expect(run({ chain, now: later, cache: null }).reason).toBe('certificate 0: outside its validity period');
    expect(run({ chain, now: later, cache: primed.inserts }).rc).toBe(0);
    // A slot made under other bytes at root id 1 does not vouch for this root.
    expect(run({ chain, now: later, cache: primed.inserts.map((x) => ({ ...x, roots: [{ id: 1, digest: 'other' }] })) }).rc).toBe(WhError.CERT_VERIFY);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { VerifyCache, cacheHit } from '../../src/cert/verify-cache.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';
import { concat, makeCert, makePki, newKeys, type Keys, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const DAY = 86_400_000;
/** After the short-lived intermediate expired (the leaf is still valid). */
const LATER = AT + 20 * DAY;

const R = (id: number, digest = 'd') => ({ id, digest });

describe('VerifyCache (spec 1.4)', () => {
  it('hit = same hash and a slot root set contained in the loaded set, roots compared by id and bytes', () => {
    const c = new VerifyCache();
    c.insert({ hash: 'h1', roots: [R(1)] });
    const slots = c.snapshot()!;
    expect(cacheHit(slots, 'h1', [R(2), R(1)])).toBe(true);
    expect(cacheHit(slots, 'h1', [R(2)])).toBe(false);
    expect(cacheHit(slots, 'h1', [R(1, 'other bytes')])).toBe(false);
    expect(cacheHit(slots, 'h2', [R(1)])).toBe(false);
    c.insert({ hash: 'h3', roots: [R(1), R(2)] });
    expect(cacheHit(c.snapshot()!, 'h3', [R(1)])).toBe(false);
    expect(cacheHit(c.snapshot()!, 'h3', [R(2), R(1), R(3)])).toBe(true);
  });

  it('a ring of 16: exact duplicates are not re-inserted, the oldest goes first; evictRoot drops every slot naming the id', () => {
    const c = new VerifyCache();
    c.insert({ hash: 'a', roots: [R(1), R(2)] });
    c.insert({ hash: 'a', roots: [R(2), R(1)] });
    expect(c.size).toBe(1);
    for (let i = 0; i < 16; i++) c.insert({ hash: `x${i}`, roots: [R(i % 2 ? 2 : 3)] });
    expect(c.size).toBe(16);
    expect(cacheHit(c.snapshot()!, 'a', [R(1), R(2)])).toBe(false); // overwritten by x15
    c.evictRoot(2);
    expect(c.size).toBe(8);
    c.setEnabled(false);
    expect(c.snapshot()).toBeNull();
    c.insert({ hash: 'b', roots: [R(1)] });
    c.setEnabled(true);
    expect(c.size).toBe(0);
  });
});

describe('CERT verify cache through the server: a hit skips the signature and date check of a CA', () => {
  let pki: Pki;
  let shortInter: Uint8Array;
  let otherRootKeys: Keys;
  let otherRoot: Uint8Array;
  beforeAll(async () => {
    pki = await makePki('ec', 'cache', AT);
    // An intermediate that expires after 10 days, over the same key as pki.inter.
    shortInter = await makeCert({ cn: 'cache intermediate', keys: pki.interKeys, issuer: { cn: 'cache root', keys: pki.rootKeys }, ca: true, pathLen: 0, keyUsage: 0x06, at: AT, toDays: 10 });
    otherRootKeys = await newKeys('ec');
    otherRoot = await makeCert({ cn: 'cache root', keys: otherRootKeys, ca: true, keyUsage: 0x06, at: AT }); // same name, another key
  }, 60_000);

  function setup() {
    let clock = AT;
    const t = certServer({ cert: { now: () => clock } });
    return { ...t, setClock: (ms: number) => (clock = ms) };
  }
  const chain = () => concat(shortInter, pki.leaf);

  it('verified at AT, the expired intermediate is still accepted later from the cache; CLEAR, disable, INIT and ADDTRUSTED of the root end that', async () => {
    const { connect, setClock } = setup();
    const client = connect().client;
    expect(await client.cert.addTrusted(0x42, pki.root)).toBe(0);
    const primeThenLater = async () => {
      setClock(AT);
      expect((await client.cert.verify(chain(), 0x42)).rc).toBe(0);
      setClock(LATER);
    };
    await primeThenLater();
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(0);
    expect((await client.cert.verifyMultiRoot(chain(), [0x43, 0x42])).rc).toBe(0); // a superset of the roots hits too
    expect(await client.cert.verifyCacheClear()).toBe(0);
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY);

    await primeThenLater();
    expect(await client.cert.verifyCacheSetEnabled(false)).toBe(0);
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY);
    expect(await client.cert.verifyCacheSetEnabled(true)).toBe(0);
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY); // disabling cleared it

    await primeThenLater();
    expect(await client.cert.init()).toBe(0);
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY);

    await primeThenLater();
    expect(await client.cert.addTrusted(0x42, pki.root)).toBe(0); // same bytes, still evicts
    expect((await client.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('the cache is per client: another client does not hit what this one verified', async () => {
    const { connect, setClock } = setup();
    const a = connect().client;
    const b = connect().client;
    expect(await a.cert.addTrusted(0x42, pki.root)).toBe(0);
    expect((await a.cert.verify(chain(), 0x42)).rc).toBe(0);
    setClock(LATER);
    expect((await a.cert.verify(chain(), 0x42)).rc).toBe(0);
    expect((await b.cert.verify(chain(), 0x42)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('entries are bound to the root bytes: a root replaced behind the cache (NVM add, another client) never vouches for the old chain', async () => {
    const { connect, server } = setup();
    const a = connect().client;
    const b = connect().client;
    expect(await a.cert.addTrusted(0x42, pki.root)).toBe(0);
    expect((await a.cert.verify(pki.chain, 0x42)).rc).toBe(0);
    // Another client replaces root 0x42 by a certificate with the same name and another key: a's cache is not evicted.
    expect(await b.cert.addTrusted(0x42, otherRoot)).toBe(0);
    expect((await a.cert.verify(pki.chain, 0x42)).rc).toBe(WhError.CERT_VERIFY);
    // The same through a plain NVM add (no CERT call at all).
    expect(await a.cert.addTrusted(0x44, pki.root)).toBe(0);
    expect((await a.cert.verify(pki.chain, 0x44)).rc).toBe(0);
    expect(await server.nvmFor('server').addObject(makeMetadata({ id: 0x44 }), otherRoot)).toBe(0);
    expect((await a.cert.verify(pki.chain, 0x44)).rc).toBe(WhError.CERT_VERIFY);
  });

  it('VERIFY_CACHE_SET_ENABLED takes exactly 8 bytes, else ABORTED', async () => {
    const client = setup().connect().client;
    for (const n of [0, 7, 9]) {
      const r = await client.request(kind(Group.CERT, CertAction.VERIFY_CACHE_SET_ENABLED), new Uint8Array(n));
      expect([n, r.length, r.i32(0)]).toEqual([n, 8, WhError.ABORTED]);
    }
    const clear = await client.request(kind(Group.CERT, CertAction.VERIFY_CACHE_CLEAR));
    expect([clear.length, clear.i32(0)]).toEqual([8, 0]);
  });
});

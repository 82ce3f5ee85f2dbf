import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';
import { makePki, type Pki } from './helpers/pki.js';

const AT = Date.parse('2030-06-01T00:00:00Z');
const ACTIONS = [...Object.values(CertAction), 0x00, 0x09, 0x21, 0x29, 0xff];

let pki: Pki;
beforeAll(async () => {
  pki = await makePki('ec', 'fuzz', AT);
}, 60_000);

describe('CERT requests of any shape are answered, never thrown on', () => {
  it('random payloads (and mutated real chains) for every action: an answer each, no handler failure', async () => {
    const t = certServer({ cert: { now: () => AT } });
    const { client, mem } = t.connectDma();
    await client.commInit(1);
    expect(await client.cert.addTrusted(1, pki.root)).toBe(0);
    mem.bytes.set(pki.chain, 0);
    const chainish = fc.tuple(fc.nat(pki.chain.length), fc.uint8Array({ maxLength: 8 })).map(([cut, junk]) => {
      const c = pki.chain.slice(0, cut);
      if (junk.length > 0 && c.length > 0) c[junk[0]! % c.length] = junk[1] ?? 0;
      return c;
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ACTIONS), fc.oneof(fc.uint8Array({ maxLength: 64 }), chainish), fc.uint8Array({ minLength: 16, maxLength: 16 }), async (action, body, head) => {
        const payload = new Uint8Array(head.length + body.length);
        payload.set(head);
        payload.set(body, head.length);
        const r = await client.request(kind(Group.CERT, action), payload);
        expect([0, 8].includes(r.length) || (action === CertAction.READTRUSTED && r.length >= 8)).toBe(true);
      }),
      { numRuns: 300, seed: 1234 },
    );
    // Well-formed requests around mutated chains: only verification answers.
    await fc.assert(
      fc.asyncProperty(chainish, fc.boolean(), fc.integer({ min: 0, max: 0x1ff }), async (chain, cache, keyId) => {
        const r = await client.cert.verify(chain, 1, cache ? { cacheLeafKey: { keyId } } : {});
        expect([0, WhError.CERT_VERIFY, WhError.BADARGS]).toContain(r.rc);
        if (r.rc === 0 && cache) expect(await client.keyEvict(r.keyId)).toBe(0);
      }),
      { numRuns: 150, seed: 99 },
    );
    expect(t.server.metrics().failures.total).toBe(0);
  }, 60_000);
});

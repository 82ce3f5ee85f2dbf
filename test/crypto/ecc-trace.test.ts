import { createPublicKey, diffieHellman } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { WcPk } from '../../src/crypto/wolfcrypt.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { testServer } from '../helpers/server-fixture.js';
import { hex, pointOf, type NodeCurve } from './helpers/ecc.js';
import { KEY_CACHE, KEY_ERASE, KEY_EVICT, TracedKeys, i32, u32, type TracedKey } from './helpers/ecc-trace.js';
import { replayTrace, type Exchange } from './helpers/trace-exchanges.js';

const PK = 0x0403;
const ECC_TYPES = new Set<number>([WcPk.EC_KEYGEN, WcPk.ECDH, WcPk.ECDSA_SIGN, WcPk.ECDSA_VERIFY, WcPk.EC_MAKE_PUB, WcPk.EC_CHECK_PUB_KEY]);
const CURVE_OF: Record<string, NodeCurve> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const NOBLE = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1: p256 };
const curveOf = (k: TracedKey) => CURVE_OF[k.key.asymmetricKeyDetails!.namedCurve!]!;

/** An EC_KEYGEN answer with the key material masked: the private scalar and the point's coordinates (SEC1 or SPKI). */
function keygenLayout(payload: Uint8Array, size: number): string {
  const der = payload.slice(20);
  const xy = 2 * size;
  der.fill(0, der.length - xy);
  if (u32(payload, 12) === 0x100 || der[2] === 0x02 || der[3] === 0x02) {
    const d = (der[1]! & 0x80 ? 3 : 2) + 5; // SEQUENCE header, version, OCTET STRING header
    der.fill(0, d, d + size);
  }
  return hex(payload.subarray(0, 20)) + hex(der);
}

const SIZE_OF_KEYGEN = (req: Uint8Array) => ({ 7: 32, 15: 48, 16: 66 })[u32(req, 16) as 7 | 15 | 16] ?? u32(req, 12);

describe('golden trace test-clientonly-crypto.trace: the ECC PK types', () => {
  it('deterministic answers byte-exact; key generation by layout; signatures, verdicts and secrets on server-made keys checked cryptographically', async () => {
    const { server } = testServer({ flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }), cryptoEngine: new InlineEngine(CRYPTO_JOBS) });
    const keys = new TracedKeys();
    const count = { exact: 0, keygen: 0, sign: 0, verifyOnServerKey: 0, ecdhComputed: 0, ecdhConsistent: 0, failures: 0, byType: {} as Record<number, number> };
    /** ECDH on server-made keys: each recorded secret must map to one of ours, and back. */
    const secrets = new Map<string, string>();
    const ours2recorded = new Map<string, string>();

    const check = (e: Exchange) => {
      const req = e.request.payload;
      const t = u32(req, 0);
      const rec = e.recorded.payload;
      const ours = e.ours.payload;
      const at = `line ${e.line} type ${t}`;
      expect(i32(ours, 4), at).toBe(i32(rec, 4));
      count.byType[t] = (count.byType[t] ?? 0) + 1;
      if (i32(rec, 4) !== 0) count.failures++;
      if (hex(ours) === hex(rec)) count.exact++;
      const ok = i32(rec, 4) === 0;
      const evict = (id: number) => keys.forget(id);

      if (t === WcPk.EC_KEYGEN && ok) {
        if (hex(ours) !== hex(rec)) {
          expect(keygenLayout(ours, SIZE_OF_KEYGEN(req)), at).toBe(keygenLayout(rec, SIZE_OF_KEYGEN(req)));
          count.keygen++;
        }
        if (!(u32(req, 24) & NvmFlags.EPHEMERAL)) keys.generated(u32(ours, 12), ours.subarray(20, 20 + u32(ours, 16)));
      } else if (t === WcPk.ECDSA_SIGN) {
        const key = keys.get(u32(req, 16));
        if (ok && hex(ours) !== hex(rec)) {
          expect(key, at).toBeDefined();
          const sig = ours.subarray(16, 16 + u32(ours, 12));
          const digest = req.subarray(24, 24 + u32(req, 20));
          const curve = curveOf(key!);
          expect(NOBLE[curve].verify(sig, digest, pointOf(key!.key, curve), { prehash: false, lowS: false, format: 'der' }), at).toBe(true);
          count.sign++;
        }
        if (u32(req, 12) & 1) evict(u32(req, 16));
      } else if (t === WcPk.ECDSA_VERIFY) {
        const key = keys.get(u32(req, 16));
        if (hex(ours) !== hex(rec)) {
          // Only a key our server generated may change the verdict on a recorded signature; ours must be the true one.
          expect(key?.from, at).toBe('server');
          const sigSz = u32(req, 20);
          const sig = req.subarray(28, 28 + sigSz);
          const digest = req.subarray(28 + sigSz, 28 + sigSz + u32(req, 24));
          const curve = curveOf(key!);
          const truth = NOBLE[curve].verify(sig, digest, pointOf(key!.key, curve), { prehash: false, lowS: false, format: 'der' });
          expect({ at, res: u32(ours, 12), rest: hex(ours.subarray(16)) }).toEqual({ at, res: truth ? 1 : 0, rest: hex(rec.subarray(16)) });
          count.verifyOnServerKey++;
        }
        if (u32(req, 12) & 1) evict(u32(req, 16));
      } else if (t === WcPk.ECDH) {
        const [prvId, pubId, cached] = [u32(req, 16), u32(req, 20), !(u32(req, 24) & NvmFlags.EPHEMERAL)];
        const prv = keys.get(prvId);
        const pub = keys.get(pubId);
        if (hex(ours) !== hex(rec)) {
          expect(prv?.from === 'server' || pub?.from === 'server', at).toBe(true);
          expect(hex(ours.subarray(0, 20)), at).toBe(hex(rec.subarray(0, 20)));
          if (!cached) {
            const secret = hex(ours.subarray(20));
            const recorded = hex(rec.subarray(20));
            expect(secrets.get(recorded) ?? secret, at).toBe(secret);
            expect(ours2recorded.get(secret) ?? recorded, at).toBe(recorded);
            secrets.set(recorded, secret);
            ours2recorded.set(secret, recorded);
            if (prv?.from === 'client' && pub) {
              expect(hex(diffieHellman({ privateKey: prv.key, publicKey: pub.key.type === 'private' ? createPublicKey(pub.key) : pub.key })), at).toBe(secret);
              count.ecdhComputed++;
            } else count.ecdhConsistent++;
          }
        }
        const outId = ok && cached ? u32(ours, 16) : -1;
        if (u32(req, 12) & 1 && (pubId & 0xffff) !== (outId & 0xffff)) evict(pubId);
        if (u32(req, 12) & 2 && (prvId & 0xffff) !== (outId & 0xffff)) evict(prvId);
        if (outId >= 0) keys.forget(outId);
      } else if (t === WcPk.EC_MAKE_PUB || t === WcPk.EC_CHECK_PUB_KEY) {
        expect(hex(ours), at).toBe(hex(rec));
        if (u32(req, 12) & 1) evict(u32(req, 16));
      }
    };

    const n = await replayTrace('test-clientonly-crypto.trace', server, new Set([PK, KEY_CACHE, KEY_EVICT, KEY_ERASE]), (e) => {
      if (e.request.header.kind !== PK) keys.observe(e);
      else if (ECC_TYPES.has(u32(e.request.payload, 0))) check(e);
    });
    expect(n).toBeGreaterThan(120);
    // Every ECC exchange of the recording: 39 keygen, 40 ECDH, 21 sign, 9 verify, 6 MAKE_PUB (0xFA), 5 CHECK_PUB (0xFB).
    expect(count.byType).toEqual({ 9: 39, 3: 40, 4: 21, 5: 9, 250: 6, 251: 5 });
    // Refusals and verdicts the same: 2 usage refusals (-2009), make-pub on a public key (-216), two check failures (-216, -214).
    expect(count.failures).toBe(5);
    // Every signature made (21 sign requests less the refused one) verifies under its key.
    expect(count).toMatchObject({ keygen: 39, sign: 20, verifyOnServerKey: 1, ecdhComputed: 1, ecdhConsistent: 1 });
    // Everything else (ECDH and verify on the client's keys, make-pub, check-pub, the refusals) byte-exact.
    expect(count.exact).toBe(120 - 39 - 20 - 1 - 2);
    await server.close();
  });
});

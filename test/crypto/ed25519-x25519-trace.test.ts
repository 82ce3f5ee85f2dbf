import { createPrivateKey, createPublicKey, diffieHellman, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WcPk, WhKeyAlgo } from '../../src/crypto/wolfcrypt.js';
import type { Packet } from '../../src/protocol/header.js';
import { hex, pkServer } from './helpers/ed25519-x25519.js';
import { replayTrace, type Exchange } from './helpers/trace-exchanges.js';

const [PK, KEY_CACHE, KEY_EXPORT_PUBLIC] = [0x0403, 0x0300, 0x030d];
const MINE = new Set<number>([WcPk.ED25519_SIGN, WcPk.CURVE25519, WcPk.ED25519_VERIFY, WcPk.ED25519_KEYGEN, WcPk.CURVE25519_KEYGEN]);
const EPHEMERAL = 0x10;

const u32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, true);
const reversed = (b: Uint8Array) => b.slice().reverse();
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

/** X25519 in RFC 7748 order, on node (an oracle independent of the server's path). */
const x25519 = (scalar: Uint8Array, u: Uint8Array) =>
  new Uint8Array(
    diffieHellman({
      privateKey: createPrivateKey({ key: Buffer.concat([X25519_PKCS8, scalar]), format: 'der', type: 'pkcs8' }),
      publicKey: createPublicKey({ key: Buffer.concat([X25519_SPKI, u]), format: 'der', type: 'spki' }),
    }),
  );

/** What the replay knows of a key id: imported DER (from the trace's KEY CACHE) or the public half of a key this server generated. */
interface Known {
  readonly scalar?: Uint8Array; // X25519, RFC order
  readonly u?: Uint8Array; // X25519, RFC order
  readonly edPublic?: Uint8Array;
}

/** The 82-byte wolf DER or the 44-byte SPKI, at wolfCrypt's fixed offsets (X25519 values reversed). */
function fromDer(der: Uint8Array): Known {
  if (der.length === 82 && der[11] === 0x6e) return { scalar: reversed(der.subarray(16, 48)), u: reversed(der.subarray(50, 82)) };
  if (der.length === 44 && der[8] === 0x6e) return { u: reversed(der.subarray(12, 44)) };
  if (der.length === 44 && der[8] === 0x70) return { edPublic: der.slice(12) };
  if (der.length === 82 && der[11] === 0x70) return { edPublic: der.slice(50) };
  return {};
}

describe('replay of test-clientonly-crypto.trace: Curve25519 and Ed25519 exchanges (PK types 6, 7, 14, 15, 16)', () => {
  it('answers on trace keys byte for byte; generated keys by layout and by computation', async () => {
    const { server } = pkServer();
    const known = new Map<number, Known>();
    const exact: number[] = [];
    const computed: number[] = [];
    const layoutOnly: number[] = [];
    const exported: number[] = [];
    const byType = new Map<number, number>();

    const keygen = (e: Exchange, pkType: number) => {
      const [ours, rec, req] = [e.ours.payload, e.recorded.payload, e.request.payload];
      const x = pkType === WcPk.CURVE25519_KEYGEN;
      const flags = u32(req, x ? 16 : 12);
      expect({ line: e.line, head: hex(ours.subarray(0, 20)) }).toEqual({ line: e.line, head: hex(rec.subarray(0, 20)) }); // rc, key id, length
      const der = ours.subarray(20);
      if (flags & EPHEMERAL) {
        expect(hex(der.subarray(0, 16))).toBe(x ? '3050020100300506032b656e04220420' : '3050020100300506032b657004220420');
        if (x) {
          const k = fromDer(der);
          expect(hex(x25519(k.scalar!, Uint8Array.of(9, ...new Uint8Array(31))))).toBe(hex(k.u!));
        } else {
          const nodeKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), der.subarray(16, 48)]), format: 'der', type: 'pkcs8' });
          expect(hex(createPublicKey(nodeKey).export({ format: 'der', type: 'spki' }).subarray(12))).toBe(hex(der.subarray(50)));
        }
      } else {
        expect(hex(der.subarray(0, 12))).toBe((x ? X25519_SPKI : ED25519_SPKI).toString('hex'));
        known.set(u32(ours, 12), fromDer(der));
      }
      expect(hex(der)).not.toBe(hex(rec.subarray(20))); // fresh randomness, not a replay
      computed.push(e.line);
    };

    const sign = (e: Exchange) => {
      const [ours, req] = [e.ours.payload, e.request.payload];
      const pub = known.get(u32(req, 16))?.edPublic;
      expect({ line: e.line, head: hex(ours.subarray(0, 16)), generated: !!pub }).toEqual({ line: e.line, head: hex(e.recorded.payload.subarray(0, 16)), generated: true });
      const message = req.subarray(32, 32 + u32(req, 20));
      const spki = createPublicKey({ key: Buffer.concat([ED25519_SPKI, pub!]), format: 'der', type: 'spki' });
      expect(nodeVerify(null, message, spki, ours.subarray(16))).toBe(true);
      computed.push(e.line);
    };

    const agree = (e: Exchange) => {
      const [ours, req] = [e.ours.payload, e.request.payload];
      expect({ line: e.line, head: hex(ours.subarray(0, 20)) }).toEqual({ line: e.line, head: hex(e.recorded.payload.subarray(0, 20)) });
      const [priv, pub] = [known.get(u32(req, 16)), known.get(u32(req, 20))];
      const secret = priv?.scalar && pub?.u ? x25519(priv.scalar, pub.u) : pub?.scalar && priv?.u ? x25519(pub.scalar, priv.u) : null;
      if (!secret) return void layoutOnly.push(e.line);
      expect(hex(ours.subarray(20))).toBe(hex(u32(req, 24) === 1 ? secret.reverse() : secret));
      computed.push(e.line);
    };

    const exportPublic = (e: Exchange) => {
      const [ours, req] = [e.ours.payload, e.request.payload];
      const algo = req[2]! | (req[3]! << 8);
      if (algo !== WhKeyAlgo.CURVE25519 && algo !== WhKeyAlgo.ED25519) return;
      const rec = e.recorded.payload;
      // rc, len and label as recorded (the C server's pad @32 holds stale bytes); the key is ours.
      expect({ line: e.line, head: hex(ours.subarray(0, 32)), pad: hex(ours.subarray(32, 36)) }).toEqual({ line: e.line, head: hex(rec.subarray(0, 32)), pad: '00000000' });
      const k = known.get(req[0]! | (req[1]! << 8));
      const spki = ours.subarray(36);
      expect(k && (algo === WhKeyAlgo.ED25519 ? hex(spki.subarray(12)) === hex(k.edPublic!) : hex(reversed(spki.subarray(12))) === hex(k.u!))).toBe(true);
      exported.push(e.line);
    };

    const checked = await replayTrace('test-clientonly-crypto.trace', server, new Set([PK, KEY_CACHE, KEY_EXPORT_PUBLIC]), (e) => {
      const kind = e.request.header.kind;
      if (kind === KEY_CACHE) {
        const der = e.request.payload.subarray(40, 40 + u32(e.request.payload, 4));
        if (u32(e.ours.payload, 0) === 0) known.set(u32(e.ours.payload, 4), fromDer(der));
        return;
      }
      if (kind === KEY_EXPORT_PUBLIC) return exportPublic(e);
      const pkType = u32(e.request.payload, 0);
      if (!MINE.has(pkType)) return;
      byType.set(pkType, (byType.get(pkType) ?? 0) + 1);
      if (hex(e.ours.payload) === hex(e.recorded.payload)) return void exact.push(e.line);
      if (pkType === WcPk.ED25519_KEYGEN || pkType === WcPk.CURVE25519_KEYGEN) return keygen(e, pkType);
      if (pkType === WcPk.ED25519_SIGN) return sign(e);
      if (pkType === WcPk.CURVE25519) return agree(e);
      expect.fail(`line ${e.line}: ${describePacket(e.ours)} differs from ${describePacket(e.recorded)}`);
    });

    expect(checked).toBeGreaterThan(0);
    expect(Object.fromEntries(byType)).toEqual({ 6: 4, 7: 14, 14: 5, 15: 4, 16: 10 });
    // Every exchange on keys the trace carries (signatures, verifications incl. USAGE and
    // SIG_VERIFY_E, agreements, cached-secret ids) is byte-exact.
    expect(exact).toEqual([2768, 2772, 2776, 2786, 2788, 2790, 2792, 2824, 2830, 2840, 2846, 2870, 2876, 2882, 2904, 2910]);
    // Keygens, signatures by generated keys, and agreements with one trace key are recomputed.
    expect(computed).toHaveLength(14 + 2 + 2);
    // Agreements between two keys this server generated (their secrets are not exported): layout only.
    expect(layoutOnly).toEqual([2852, 2854, 2868]);
    // EXPORT_PUBLIC of generated keys runs this family's publicKey job: our key's SPKI, with the recorded rc, length and label.
    expect(exported).toEqual([2804, 2810, 2864, 2926, 2946]);
  }, 60_000);
});

const describePacket = (p: Packet) => hex(p.payload).slice(0, 64);

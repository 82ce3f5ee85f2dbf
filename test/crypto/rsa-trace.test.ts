import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RsaOp } from '../../src/crypto/rsa/messages.js';
import { WcPk } from '../../src/crypto/wolfcrypt.js';
import { KeyIdResponse } from '../../src/protocol/messages/key.js';
import { big, hex, modPow, numbersOf, rsaClient } from './helpers/rsa.js';
import { replayTrace, type Exchange } from './helpers/trace-exchanges.js';

const PK = 0x0403;
const KEY_CACHE = 0x0300;
const RSA_TYPES = new Set<number>([WcPk.RSA, WcPk.RSA_KEYGEN, WcPk.RSA_GET_SIZE]);

const u32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, true);
const i32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(off, true);

/**
 * Keygen answers are random: the same header and sizes as recorded (DER lengths vary by a
 * byte or two with leading zeros), a DER that parses as a key of the requested size and
 * exponent. Answers the public key of a cached key, null for an ephemeral one.
 */
function checkKeyGen(e: Exchange): KeyObject | null {
  const req = e.request.payload;
  const [flags, bits, exp] = [u32(req, 12), u32(req, 20), u32(req, 24)];
  const ours = e.ours.payload;
  const rec = e.recorded.payload;
  expect(hex(ours.subarray(0, 16)), `line ${e.line}`).toBe(hex(rec.subarray(0, 16)));
  const der = Buffer.from(ours.subarray(20, 20 + u32(ours, 16)));
  expect(20 + der.length).toBe(ours.length);
  const ephemeral = (flags & 0x10) !== 0;
  const key = ephemeral ? createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }) : createPublicKey({ key: der, format: 'der', type: 'spki' });
  expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: bits, publicExponent: BigInt(exp) });
  if (ephemeral) expect(Math.abs(der.length - u32(rec, 16))).toBeLessThanOrEqual(4);
  else expect(der.length).toBe(u32(rec, 16));
  return ephemeral ? null : key;
}

/** A raw op on a key this server generated: the answer is checked against that key's public numbers. */
function checkOnGeneratedKey(e: Exchange, key: KeyObject): void {
  const { n, e: exp, size } = numbersOf(key);
  const req = e.request.payload;
  const op = u32(req, 12);
  const input = big(req.subarray(32, 32 + u32(req, 24))) % n;
  const ours = e.ours.payload;
  expect(i32(ours, 4)).toBe(0);
  expect(u32(ours, 12)).toBe(size);
  expect(ours.length).toBe(16 + size);
  const out = big(ours.subarray(16));
  if (op === RsaOp.PUBLIC_ENCRYPT || op === RsaOp.PUBLIC_DECRYPT) expect(out).toBe(modPow(input, exp, n));
  else expect(modPow(out, exp, n)).toBe(input);
}

describe('replay of test-clientonly-crypto.trace: RSA exchanges (PK types 1, 8, 17)', () => {
  it('deterministic answers byte for byte; keygen by layout and parsing; ops on keys generated here by their math', async () => {
    const { server } = rsaClient();
    // Which key each id names now: bytes the client imported, or a key this server generated.
    const generated = new Map<number, KeyObject>();
    const counts = { keygen: 0, exact: 0, generatedKeyOps: 0 };
    const checked = await replayTrace('test-clientonly-crypto.trace', server, new Set([PK, KEY_CACHE]), (e) => {
      if (e.request.header.kind === KEY_CACHE) {
        const id = KeyIdResponse.decode(e.ours.payload, true);
        if (id && id.rc === 0) generated.delete(id.id & 0xff);
        return;
      }
      const algoType = u32(e.request.payload, 0);
      if (!RSA_TYPES.has(algoType)) return;
      if (algoType === WcPk.RSA_KEYGEN) {
        counts.keygen++;
        const key = checkKeyGen(e);
        if (key) generated.set(u32(e.ours.payload, 12) & 0xff, key);
        return;
      }
      const keyId = u32(e.request.payload, algoType === WcPk.RSA ? 20 : 16) & 0xff;
      const key = generated.get(keyId);
      if (algoType === WcPk.RSA && key) {
        counts.generatedKeyOps++;
        return checkOnGeneratedKey(e, key);
      }
      counts.exact++;
      expect(hex(e.ours.payload), `line ${e.line}`).toBe(hex(e.recorded.payload));
    });
    expect(checked).toBeGreaterThan(22);
    // 7 keygens (3 EPHEMERAL, 4 cached), 6 ops on imported keys and 2 GET_SIZE byte-exact, 7 ops on generated keys.
    expect(counts).toEqual({ keygen: 7, exact: 8, generatedKeyOps: 7 });
  }, 120_000);
});

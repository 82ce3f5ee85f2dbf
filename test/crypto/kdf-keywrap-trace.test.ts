import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Exchange, expectPayload, hex, kdfWrapServer, replayTrace, unhex } from './helpers/kdf-keywrap.js';

/** The KEK the trace's wrap tests cache as key 0x0a ("Server KEK key"), sent in clear by its KEY CACHE request. */
const TRACE_KEK = unhex('03030dd9eb18172e066e19ce9844540d78a0bee7354340a4228ad10ea3631c0b');

function openWithNode(blob: Uint8Array, aad: string): Uint8Array {
  const d = createDecipheriv('aes-256-gcm', TRACE_KEK, blob.subarray(0, 12), { authTagLength: 16 });
  d.setAAD(new TextEncoder().encode(aad));
  d.setAuthTag(blob.subarray(12, 28));
  return new Uint8Array(Buffer.concat([d.update(blob.subarray(28)), d.final()]));
}

const KDF = 0x0409;
const [KEYWRAP, KEYUNWRAPEXPORT, KEYUNWRAPCACHE, DATAWRAP, DATAUNWRAP, KEYWRAPEXPORT] = [0x0308, 0x0309, 0x030a, 0x030b, 0x030c, 0x0310];

/** A successful KEYWRAP/DATAWRAP answer holds a random IV: same header as recorded, and a blob that opens (with node) to what the request sent. */
function expectFreshBlob(e: Exchange, headerSize: number, aad: string, plaintext: Uint8Array): void {
  const ours = e.ours.payload;
  expect(ours.length).toBe(e.recorded.payload.length);
  const fixed = Math.min(headerSize, 10); // DATAWRAP's pad @10..11 holds stale bytes in C, zeros here
  expect(hex(ours.subarray(0, fixed))).toBe(hex(e.recorded.payload.subarray(0, fixed)));
  expect(hex(ours.subarray(fixed, headerSize))).toBe('00'.repeat(headerSize - fixed));
  const blob = ours.subarray(headerSize);
  expect(hex(openWithNode(blob, aad))).toBe(hex(plaintext));
  expect(hex(blob.subarray(0, 12))).not.toBe(hex(e.recorded.payload.subarray(headerSize, headerSize + 12)));
}

describe('replay of test-clientonly-crypto.trace: KDF and key-wrap exchanges', () => {
  it('deterministic answers byte for byte; wrap blobs by layout and decryption; a C-made blob unwraps here', async () => {
    const { server } = kdfWrapServer();
    const seen = new Map<number, number>();
    const checked = await replayTrace('test-clientonly-crypto.trace', server, new Set([KDF, KEYWRAP, KEYUNWRAPEXPORT, KEYUNWRAPCACHE, DATAWRAP, DATAUNWRAP, KEYWRAPEXPORT]), (e) => {
      const k = e.request.header.kind;
      seen.set(k, (seen.get(k) ?? 0) + 1);
      const rc = new DataView(e.recorded.payload.buffer, e.recorded.payload.byteOffset).getInt32(k === KDF ? 4 : 0, true);
      if (k === KEYWRAP && rc === 0) return expectFreshBlob(e, 8, 'wolfHSM.keywrap.v1', e.request.payload.subarray(6));
      if (k === DATAWRAP && rc === 0) return expectFreshBlob(e, 12, 'wolfHSM.datawrap.v1', e.request.payload.subarray(8));
      if (k === DATAWRAP || k === DATAUNWRAP) return expectPayload(e, [[10, 12]]);
      expectPayload(e);
    });
    expect(checked).toBe(44);
    expect(Object.fromEntries([...seen].map(([k, n]) => [k.toString(16), n]))).toEqual({ '409': 15, '308': 5, '309': 4, '30a': 4, '30b': 4, '30c': 4, '310': 8 });
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { aesCbc, aesCtr, aesCtrStart, aesEcb, aesGcmDecrypt, aesGcmEncrypt } from '../../src/client/crypto/aes.js';
import { cmacFinal, cmacStart, cmacUpdate } from '../../src/client/crypto/cmac.js';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { poolPerTest } from '../helpers/pool-per-test.js';
import { aesCmacClient, hex, unhex } from './helpers/aes-cmac.js';

const key = unhex('feffe9928665731c6d6a8f9467308308');
const data = Uint8Array.from({ length: 61 }, (_, i) => i);

/** Every AES mode and the CMAC steps, each answer written down (the worker must give the inline bytes). */
async function session(client: HsmClient): Promise<string[]> {
  const out: string[] = [];
  const put = (r: object) => out.push(JSON.stringify(r, (_, v) => (v instanceof Uint8Array ? hex(v) : v)));
  put(await aesEcb(client, { key, encrypt: true, data: data.subarray(0, 48) }));
  put(await aesCbc(client, { key, encrypt: true, iv: new Uint8Array(16).fill(3), data: data.subarray(0, 48) }));
  put(await aesCbc(client, { key, encrypt: false, iv: new Uint8Array(16).fill(3), data: data.subarray(0, 32) }));
  const ctr = await aesCtr(client, { key, state: aesCtrStart(new Uint8Array(16).fill(0xff)), data: data.subarray(0, 21) });
  put(ctr);
  if ('state' in ctr) put(await aesCtr(client, { key, state: ctr.state, data }));
  const sealed = await aesGcmEncrypt(client, { key, iv: unhex('cafebabefacedbad'), aad: data.subarray(0, 7), data, tagSize: 13 });
  put(sealed);
  if ('tag' in sealed) put(await aesGcmDecrypt(client, { key, iv: unhex('cafebabefacedbad'), aad: data.subarray(0, 7), data: sealed.data, tag: sealed.tag.subarray(0, 5) }));
  put(await aesGcmDecrypt(client, { key, iv: new Uint8Array(12), data, tag: new Uint8Array(16) })); // -180
  const u = await cmacUpdate(client, { key, state: cmacStart(), data: data.subarray(0, 37) });
  put(u);
  if ('state' in u) put(await cmacFinal(client, { key, state: u.state, macSize: 12 }));
  return out;
}

const openPool = poolPerTest();

describe('the worker path (PoolEngine, every job in a worker thread) answers the inline bytes', () => {
  it('AES-ECB/CBC/CTR/GCM and CMAC update/final: identical answers inline and in the pool', async () => {
    // No inline table: a job that did not run in a worker would answer NOT_COMPILED_IN.
    const engine = openPool({ jobs: {}, jobsModule: new URL('./helpers/aes-cmac.ts', import.meta.url), inlineBelow: 0, threads: 1 });
    const pooled = aesCmacClient({ engine });
    const inline = aesCmacClient();
    const expected = await session(inline.client);
    expect(expected.some((s) => s.includes('-180'))).toBe(true);
    expect(expected.some((s) => s.includes('-174'))).toBe(false);
    expect(await session(pooled.client)).toEqual(expected);
    expect(engine.queued).toBe(0);
  });
});

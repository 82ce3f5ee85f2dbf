import { describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { HsmClient } from '../../src/client/hsm-client.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { redactBytes } from '../../src/actors/redact-inspection.js';
import { testServer } from '../helpers/server-fixture.js';

const SECRET = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0xc0, 0xde, 0xde, 0xad, 0xbe, 0xef, 0x13, 0x37, 0xc0, 0xde]);

/** Every way the secret could show up in a serialised event: JSON of a Uint8Array, hex, a byte list. */
function leaks(json: string): boolean {
  return json.includes('"0":222,"1":173') || json.includes('deadbeef133') || json.includes('222,173,190,239');
}

describe('inspection never exposes key bytes or payloads', () => {
  it('an inspector sees every owner op and request as an event, with byte arrays as their length only', async () => {
    const seen: string[] = [];
    const { server } = testServer({ inspect: (e: InspectionEvent) => seen.push(JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) });
    const c = new HsmClient(server.connectMemory().client);
    await c.commInit(1);
    expect((await c.keyCache(5, SECRET, { label: 'secret' })).rc).toBe(0);
    expect((await c.keyExport(5)).data).toEqual(SECRET);
    expect(await c.nvmAddObject(makeMetadata({ id: 9 }), SECRET)).toBe(0);
    expect(seen.some((e) => e.includes('key.cache'))).toBe(true);
    expect(seen.some((e) => e.includes('<16 bytes>'))).toBe(true);
    expect(seen.filter(leaks)).toEqual([]);
  });

  it('the redactor itself: nested byte arrays become their length, handles describe themselves', () => {
    const handle = { toJSON: () => ({ store: 'x' }) };
    Object.setPrototypeOf(handle, { kind: 'handle' });
    expect(redactBytes({ op: { args: { data: SECRET, meta: { label: new Uint8Array(24) } } }, h: handle, n: 3 })).toEqual({
      op: { args: { data: '<16 bytes>', meta: { label: '<24 bytes>' } } },
      h: { store: 'x' },
      n: 3,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { KeyType, makeKeyId } from '../../src/keystore/key-id.js';
import { NvmFlags, makeMetadata } from '../../src/nvm/metadata.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CertAction, CertAddTrustedRequest, CertIdRequest, CertReadTrustedResponse, CertSimpleResponse } from '../../src/protocol/messages/cert.js';
import { certServer } from './helpers/cert-server.js';

const CERT = Uint8Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff); // any bytes: nothing is parsed
const k = (a: number) => kind(Group.CERT, a);

function setup(o: Parameters<typeof certServer>[0] = {}) {
  const t = certServer(o);
  return { ...t, client: t.connect().client };
}

describe('CERT ADDTRUSTED / ERASETRUSTED / READTRUSTED: trusted roots are plain NVM objects', () => {
  it('a root is an NVM object at the client-chosen id: metadata as sent (TRUSTED stripped, full label), NVM READ and LIST see it', async () => {
    const { client } = setup();
    const label = Uint8Array.from({ length: 24 }, (_, i) => 0x41 + i); // 24 bytes, no NUL
    expect(await client.cert.addTrusted(0x0042, CERT, { access: 0x0102, flags: NvmFlags.TRUSTED | NvmFlags.SENSITIVE, label })).toBe(0);
    const m = await client.nvmGetMetadata(0x0042);
    expect(m.rc).toBe(0);
    expect({ id: m.meta.id, access: m.meta.access, flags: m.meta.flags, len: m.meta.len }).toEqual({ id: 0x42, access: 0x0102, flags: NvmFlags.SENSITIVE, len: 700 });
    expect(Array.from(m.meta.label)).toEqual(Array.from(label));
    expect(await client.nvmRead(0x42, 0, 700)).toEqual({ rc: 0, data: CERT });
    expect((await client.nvmList(0, 0, 0)).id).toBe(0x42);
    expect(await client.cert.readTrusted(0x42)).toEqual({ rc: 0, len: 700, cert: CERT });
  });

  it('ADDTRUSTED: short header or cert_len beyond the payload or 0 → BADARGS; NONMODIFIABLE (or server TRUSTED) objects are not replaced', async () => {
    const { client, server } = setup();
    expect((await client.request(k(CertAction.ADDTRUSTED), new Uint8Array(35))).i32(0)).toBe(WhError.BADARGS);
    const req = CertAddTrustedRequest.encode({ certLen: 10, id: 5, access: 0xffff, flags: 0, label: new Uint8Array(24), data: new Uint8Array(9) }, true);
    expect((await client.request(k(CertAction.ADDTRUSTED), req)).i32(0)).toBe(WhError.BADARGS);
    expect(await client.cert.addTrusted(5, new Uint8Array(0))).toBe(WhError.BADARGS);
    expect((await client.nvmGetMetadata(5)).rc).toBe(WhError.NOTFOUND);
    expect(await client.cert.addTrusted(6, CERT, { flags: NvmFlags.NONMODIFIABLE })).toBe(0);
    expect(await client.cert.addTrusted(6, Uint8Array.from([1]))).toBe(WhError.ACCESS);
    expect((await client.cert.readTrusted(6)).cert).toEqual(CERT);
    expect(await server.nvmFor('server').addObject(makeMetadata({ id: 7, flags: NvmFlags.TRUSTED }), Uint8Array.from([9]))).toBe(0);
    expect(await client.cert.addTrusted(7, CERT)).toBe(WhError.ACCESS);
  });

  it('ERASETRUSTED: absent → OK (twice); NONDESTROYABLE or TRUSTED → ACCESS; NONMODIFIABLE is erasable', async () => {
    const { client, server } = setup();
    expect(await client.cert.eraseTrusted(0x60)).toBe(0);
    expect(await client.cert.eraseTrusted(0x60)).toBe(0);
    await client.cert.addTrusted(0x61, CERT, { flags: NvmFlags.NONDESTROYABLE });
    await client.cert.addTrusted(0x62, CERT, { flags: NvmFlags.NONMODIFIABLE });
    await server.nvmFor('server').addObject(makeMetadata({ id: 0x63, flags: NvmFlags.TRUSTED }), CERT);
    expect(await client.cert.eraseTrusted(0x61)).toBe(WhError.ACCESS);
    expect(await client.cert.eraseTrusted(0x63)).toBe(WhError.ACCESS);
    expect(await client.cert.eraseTrusted(0x62)).toBe(0);
    expect((await client.nvmGetMetadata(0x62)).rc).toBe(WhError.NOTFOUND);
    expect((await client.nvmGetMetadata(0x61)).rc).toBe(0);
  });

  it('READTRUSTED: absent → NOTFOUND; NONEXPORTABLE or TRUSTED → ACCESS; any other object is readable, a committed key too', async () => {
    const { client, server } = setup();
    expect((await client.cert.readTrusted(0x70)).rc).toBe(WhError.NOTFOUND);
    await client.cert.addTrusted(0x71, CERT, { flags: NvmFlags.NONEXPORTABLE });
    await server.nvmFor('server').addObject(makeMetadata({ id: 0x72, flags: NvmFlags.TRUSTED }), CERT);
    expect(await client.cert.readTrusted(0x71)).toEqual({ rc: WhError.ACCESS, len: 0, cert: new Uint8Array(0) });
    expect((await client.cert.readTrusted(0x72)).rc).toBe(WhError.ACCESS);
    await client.commInit(3);
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect((await client.keyCache(9, key)).rc).toBe(0);
    expect(await client.keyCommit(9)).toBe(0);
    expect(await client.cert.readTrusted(makeKeyId(KeyType.CRYPTO, 3, 9))).toEqual({ rc: 0, len: 32, cert: key });
  });

  it('READTRUSTED: an object beyond the buffer → BUFFER_SIZE with its length and no data; exact response sizes', async () => {
    const { client } = setup({ cert: { maxCertSize: 512 } });
    await client.cert.addTrusted(0x80, CERT);
    await client.cert.addTrusted(0x81, CERT.subarray(0, 512));
    const big = await client.request(k(CertAction.READTRUSTED), CertIdRequest.encode({ id: 0x80 }, true));
    expect([big.length, big.i32(0), big.u32(4)]).toEqual([8, WhError.BUFFER_SIZE, 700]);
    const fits = await client.request(k(CertAction.READTRUSTED), CertIdRequest.encode({ id: 0x81 }, true));
    expect(fits.length).toBe(8 + 512);
    expect(CertReadTrustedResponse.decode(fits.bytes, true)).toEqual({ rc: 0, certLen: 512, data: CERT.subarray(0, 512) });
  });

  it('ERASETRUSTED and READTRUSTED take their id without a size check (a short payload reads as zeros)', async () => {
    const { client } = setup();
    await client.cert.addTrusted(0x0093, CERT);
    const read = await client.request(k(CertAction.READTRUSTED), Uint8Array.from([0x93]));
    expect([read.i32(0), read.u32(4)]).toEqual([0, 700]);
    const erase = await client.request(k(CertAction.ERASETRUSTED), Uint8Array.from([0x93, 0x00]));
    expect([erase.length, erase.i32(0)]).toEqual([8, 0]);
    expect((await client.cert.readTrusted(0x93)).rc).toBe(WhError.NOTFOUND);
  });

  it('a big-endian client is answered big-endian, its ids read in its byte order', async () => {
    const { server, connect } = setup();
    const { client } = server.connectMemory();
    let seq = 0;
    const send = async (action: number, payload: Uint8Array) =>
      decodePacket(await client.request(encodePacket({ magic: 0xa501, kind: k(action), seq: ++seq, aux: 0, littleEndian: false }, payload)))!;
    const add = CertAddTrustedRequest.encode({ certLen: 3, id: 0x0123, access: 0xffff, flags: 0, label: new Uint8Array(24), data: Uint8Array.from([1, 2, 3]) }, false);
    expect(CertSimpleResponse.decode((await send(CertAction.ADDTRUSTED, add)).payload, false)).toEqual({ rc: 0 });
    const r = await send(CertAction.READTRUSTED, CertIdRequest.encode({ id: 0x0123 }, false));
    expect(r.header.littleEndian).toBe(false);
    expect(CertReadTrustedResponse.decode(r.payload, false)).toEqual({ rc: 0, certLen: 3, data: Uint8Array.from([1, 2, 3]) });
    // The object is id 0x0123 for a little-endian client too.
    const le = connect().client;
    expect((await le.cert.readTrusted(0x0123)).cert).toEqual(Uint8Array.from([1, 2, 3]));
  });

  it('unknown CERT actions get an empty payload; INIT answers 8 bytes', async () => {
    const { client } = setup();
    expect((await client.request(k(0x09))).length).toBe(0);
    expect((await client.request(k(0x23))).length).toBe(0);
    const init = await client.request(k(CertAction.INIT));
    expect([init.length, init.i32(0)]).toEqual([8, 0]);
    expect(await client.cert.init()).toBe(0);
  });
});

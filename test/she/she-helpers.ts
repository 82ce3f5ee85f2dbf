import { expect } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { WhError } from '../../src/errors.js';
import { RamFlash } from '../../src/ports/flash/ram-flash.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, encodePacket } from '../../src/protocol/header.js';
import type { HsmServerOptions } from '../../src/server/hsm-server.js';
import { testServer } from '../helpers/server-fixture.js';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** The SHE specification's key-update example (spec-cert-she-custom 2.6). */
export const SPEC = {
  uid: unhex('000000000000000000000000000001'),
  authKey: unhex('000102030405060708090a0b0c0d0e0f'),
  newKey: unhex('0f0e0d0c0b0a09080706050403020100'),
  m1: '00000000000000000000000000000141',
  m2: '2b111e2d93f486566bcbba1d7f7a9797c94643b050fc5d4d7de14cff682203c3',
  m3: 'b9d745e5ace7d41860bc63c2b9f5bb46',
  m4: '00000000000000000000000000000141b472e8d8727d70d57295e74849a27917',
  m5: '820d8d95dc11b4668878160cb2a4e23e',
} as const;

/** A server with the crypto jobs inline and the example server's 1 MiB flash. */
export function sheServer(opts: Partial<HsmServerOptions> = {}) {
  return testServer({ cryptoEngine: new InlineEngine(CRYPTO_JOBS), flash: new RamFlash({ size: 1024 * 1024, sectorSize: 512 * 1024, pageSize: 8 }), ...opts });
}

/** A connected client after COMM INIT. */
export async function sheClient(connect: () => { client: HsmClient }, clientId = 1): Promise<HsmClient> {
  const { client } = connect();
  await client.commInit(clientId);
  return client;
}

/**
 * UID set and the device booted: without a BOOT_MAC_KEY, SECURE_BOOT_INIT answers
 * NO_SECURE_BOOT and the boot counts as done (2.8).
 */
export async function bootedClient(connect: () => { client: HsmClient }, clientId = 1, uid: Uint8Array = SPEC.uid): Promise<HsmClient> {
  const c = await sheClient(connect, clientId);
  expect(await c.she.setUid(uid)).toBe(WhError.OK);
  expect((await c.she.secureBootInit(0)).rc).toBe(WhError.SHE_NO_SECURE_BOOT);
  return c;
}

/** One SHE request in either byte order on a raw connection; the response payload (and its order). */
export async function rawShe(conn: { request(p: Uint8Array): Promise<Uint8Array> }, action: number, body: Uint8Array, littleEndian = true, seq = 1) {
  const p = decodePacket(await conn.request(encodePacket({ magic: 0xa501, kind: kind(Group.SHE, action), seq, aux: 0, littleEndian }, body)))!;
  return { payload: p.payload, littleEndian: p.header.littleEndian, view: new DataView(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength) };
}

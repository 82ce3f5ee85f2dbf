import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { HsmClient } from '../../../src/client/hsm-client.js';
import type { CryptoEngine } from '../../../src/crypto/engine.js';
import { InlineEngine } from '../../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../../src/crypto/jobs.js';
import { WcAlgo } from '../../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../../src/protocol/messages/crypto-header.js';
import type { ServerConfig } from '../../../src/server/server-config.js';
import { testServer } from '../../helpers/server-fixture.js';

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const sha = (alg: 'sha256' | 'sha384' | 'sha512', data: Uint8Array | string) => new Uint8Array(createHash(alg).update(data).digest());

/** node:crypto's names of the four curves. */
export type NodeCurve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';
export const FIELD_SIZE: Record<NodeCurve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 };

/** A connected client (client id 1) of a server computing inline (or on `engine`). */
export async function eccClient(opts: { engine?: CryptoEngine; config?: Partial<ServerConfig> } = {}): Promise<{ client: HsmClient; connect: () => HsmClient }> {
  const t = testServer({ cryptoEngine: opts.engine ?? new InlineEngine(CRYPTO_JOBS), ...(opts.config ? { config: opts.config } : {}) });
  const client = t.connect().client;
  await client.commInit(1);
  return { client, connect: () => t.connect().client };
}

const b64u = (h: string) => Buffer.from(h, 'hex').toString('base64url');

/** A node private key from raw hex values (JWK import: node checks the point). */
export function nodePrivate(crv: NodeCurve, d: string, x: string, y: string): KeyObject {
  return createPrivateKey({ key: { kty: 'EC', crv, d: b64u(d), x: b64u(x), y: b64u(y) }, format: 'jwk' });
}

export function nodePublic(crv: NodeCurve, x: string, y: string): KeyObject {
  return createPublicKey({ key: { kty: 'EC', crv, x: b64u(x), y: b64u(y) }, format: 'jwk' });
}

/** An X9.63 point `04 ‖ X ‖ Y` as an SPKI by node (an encoder independent of the server's). */
export function spkiOfPoint(crv: NodeCurve, point: Uint8Array): Uint8Array {
  const n = FIELD_SIZE[crv];
  return new Uint8Array(nodePublic(crv, hex(point.subarray(1, 1 + n)), hex(point.subarray(1 + n))).export({ format: 'der', type: 'spki' }));
}

export const sec1Of = (k: KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'sec1' }));
export const pkcs8Of = (k: KeyObject) => new Uint8Array(k.export({ format: 'der', type: 'pkcs8' }));
export const spkiOf = (k: KeyObject) => new Uint8Array((k.type === 'private' ? createPublicKey(k) : k).export({ format: 'der', type: 'spki' }));

/** The X9.63 point of a node key. */
export function pointOf(k: KeyObject, crv: NodeCurve): Uint8Array {
  const jwk = (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'jwk' });
  const n = FIELD_SIZE[crv];
  const pad = (v: string | undefined) => Buffer.from(v ?? '', 'base64url').toString('hex').padStart(2 * n, '0');
  return unhex(`04${pad(jwk.x)}${pad(jwk.y)}`);
}

const PK = kind(Group.CRYPTO, WcAlgo.PK);

/** A raw PK request: the generic header (algoType, subtype 0) over `body`, whose first 12 bytes are overwritten. */
export async function rawPk(client: HsmClient, algoType: number, body: Uint8Array): Promise<{ rc: number; bytes: Uint8Array }> {
  body.set(CryptoRequestHeader.encode({ algoType, algoSubType: 0, affinity: 0 }, true), 0);
  const r = await client.request(PK, body);
  return { rc: r.i32(4), bytes: r.bytes };
}

/** `SEQUENCE { INTEGER r, INTEGER s }` from raw big-endian values (minimal DER). */
export function derSignature(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint) => {
    let h = v.toString(16);
    if (h.length % 2) h = `0${h}`;
    if (parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
    return `02${len(h.length / 2)}${h}`;
  };
  const body = int(r) + int(s);
  return unhex(`30${len(body.length / 2)}${body}`);
}

/** A DER length in hex (short form, or 0x81 nn). */
function len(n: number): string {
  const b = n.toString(16).padStart(2, '0');
  return n < 0x80 ? b : `81${b}`;
}

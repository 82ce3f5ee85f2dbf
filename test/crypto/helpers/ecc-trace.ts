import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyAction, Group, kind } from '../../../src/protocol/groups.js';
import type { Exchange } from './trace-exchanges.js';

export const KEY_CACHE = kind(Group.KEY, KeyAction.CACHE);
export const KEY_EVICT = kind(Group.KEY, KeyAction.EVICT);
export const KEY_ERASE = kind(Group.KEY, KeyAction.ERASE);

export const u32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, true);
export const i32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(off, true);

/** What a cached key id holds during the replay: DER the client cached (same bytes as recorded), or a key our server generated. */
export type TracedKey = { readonly from: 'client'; readonly key: KeyObject } | { readonly from: 'server'; readonly key: KeyObject };

/** The node key of stored DER, or null when it is no EC key node reads (an ECDH secret, garbage, another algorithm). */
export function nodeKeyOf(der: Uint8Array): KeyObject | null {
  const buf = Buffer.from(der);
  for (const type of ['sec1', 'pkcs8'] as const) {
    try {
      const k = createPrivateKey({ key: buf, format: 'der', type });
      if (k.asymmetricKeyType === 'ec') return k;
    } catch {
      // next form
    }
  }
  try {
    const k = createPublicKey({ key: buf, format: 'der', type: 'spki' });
    return k.asymmetricKeyType === 'ec' ? k : null;
  } catch {
    return null;
  }
}

/**
 * Follows the key cache of the replayed connection from the KEY exchanges: CACHE
 * (the client's bytes, under the id our server answered), EVICT and ERASE.
 */
export class TracedKeys {
  private readonly keys = new Map<number, TracedKey>();

  observe(e: Exchange): void {
    const k = e.request.header.kind;
    if (k === KEY_CACHE && i32(e.ours.payload, 0) === 0) {
      const id = u32(e.ours.payload, 4) & 0xffff;
      const key = nodeKeyOf(e.request.payload.subarray(40, 40 + u32(e.request.payload, 4)));
      if (key) this.keys.set(id, { from: 'client', key });
      else this.keys.delete(id);
    } else if (k === KEY_EVICT || k === KEY_ERASE) {
      this.keys.delete(u32(e.request.payload, 0) & 0xffff);
    }
  }

  generated(id: number, spki: Uint8Array): void {
    this.keys.set(id & 0xffff, { from: 'server', key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }) });
  }

  forget(id: number): void {
    this.keys.delete(id & 0xffff);
  }

  get(id: number): TracedKey | undefined {
    return this.keys.get(id & 0xffff);
  }
}

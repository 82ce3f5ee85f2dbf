import type { Socket } from 'node:net';
import { HsmClient } from '../../src/client/hsm-client.js';
import { CommAction, Group, kind } from '../../src/protocol/groups.js';
import { encodePacket, requestHeader } from '../../src/protocol/header.js';
import { encodeFrame } from '../../src/protocol/tcp-framing.js';

/** One COMM ECHO request as it appears on the socket. */
export function echoFrame(seq: number, payload: Uint8Array): Uint8Array {
  return encodeFrame(encodePacket(requestHeader(kind(Group.COMM, CommAction.ECHO), seq), payload));
}

/** The packet an HsmClient call sends (captured, never answered). */
export async function requestPacket(call: (c: HsmClient) => Promise<unknown>): Promise<Uint8Array> {
  let captured: Uint8Array | null = null;
  const c = new HsmClient({
    request: (p) => {
      captured = p;
      return Promise.reject(new Error('captured'));
    },
    close: () => {},
  });
  await call(c).catch(() => {});
  if (!captured) throw new Error('the call sent no request');
  return captured;
}

/** Splits the answer stream of a raw socket into packets (seq of each, in arrival order). */
export function answerSeqs(s: Socket): { seqs: number[]; count: (n: number) => Promise<void> } {
  const seqs: number[] = [];
  let pending = Buffer.alloc(0);
  const waiters: { n: number; resolve: () => void }[] = [];
  s.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const len = pending.readUInt32BE(0);
      seqs.push(pending.readUInt16LE(4 + 4));
      pending = pending.subarray(4 + len);
    }
    for (const w of waiters.splice(0)) (seqs.length >= w.n ? w.resolve() : waiters.push(w));
  });
  return {
    seqs,
    count: (n) => (seqs.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value, or fails after `ms`. */
export async function eventually<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

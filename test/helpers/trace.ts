import { readFileSync } from 'node:fs';
import { encodePacket, type PacketHeader } from '../../src/protocol/header.js';

export type TraceEvent =
  | { readonly t: 'connect' }
  | { readonly t: 'close' }
  | { readonly t: 'frame'; readonly dir: 'C->S' | 'S->C'; readonly len: number; readonly header: PacketHeader; readonly bytes: Uint8Array; readonly line: number };

const FRAME = /^(C->S|S->C) len=(\d+) magic=0x([0-9a-f]+) kind=0x([0-9a-f]+) \(.*?\) seq=(\d+) aux=0x([0-9a-f]+) payload\((\d+)\)=([0-9a-f]*)$/;

/** Parses a golden trace (one frame per line, spec-wire 16) into connect/frame/close events. */
export function readTrace(path: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      if (line === '--- new connection ---') return void out.push({ t: 'connect' });
      if (line === '--- closed ---') return void out.push({ t: 'close' });
      const m = FRAME.exec(line);
      if (!m) throw new Error(`${path}:${i + 1}: unreadable trace line`);
      const payload = Uint8Array.from((m[8]!.match(/../g) ?? []).map((b) => parseInt(b, 16)));
      if (payload.length !== Number(m[7])) throw new Error(`${path}:${i + 1}: payload length mismatch`);
      const magic = parseInt(m[3]!, 16);
      const header: PacketHeader = { magic, kind: parseInt(m[4]!, 16), seq: Number(m[5]), aux: parseInt(m[6]!, 16), littleEndian: magic >> 8 === 0xa5 };
      const bytes = encodePacket(header, payload);
      if (bytes.length !== Number(m[2])) throw new Error(`${path}:${i + 1}: frame length mismatch`);
      out.push({ t: 'frame', dir: m[1] as 'C->S' | 'S->C', len: Number(m[2]), header, bytes, line: i + 1 });
    });
  return out;
}

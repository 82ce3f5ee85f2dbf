import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { DEFAULT_HANDLERS, dispatchPacket, type HandlerProblem, type HandlerTable } from '../../src/handlers/dispatch.js';
import { ECHO, reply, type GroupHandler, type HandlerContext, type OwnerPort } from '../../src/handlers/handler-types.js';
import { KeyCache } from '../../src/keystore/key-cache.js';
import { CommAction, Group, kind } from '../../src/protocol/groups.js';
import { decodePacket, type PacketHeader } from '../../src/protocol/header.js';
import { keyCacheConfig, serverConfig } from '../../src/server/server-config.js';
import { testServer } from '../helpers/server-fixture.js';

const config = serverConfig({ dataLen: 64 });
const unusedOwner: OwnerPort = {
  call: () => Promise.reject(new Error('no owner in this test')),
  acquireLease: () => Promise.reject(new Error('no owner in this test')),
  releaseLease: () => Promise.reject(new Error('no owner in this test')),
};
const ctx: HandlerContext = {
  session: { sessionId: 's', clientId: 1, closing: false, localCache: new KeyCache(keyCacheConfig(config)) },
  owner: unusedOwner,
  config,
};
const header: PacketHeader = { magic: 0xa501, kind: kind(Group.COUNTER, 2), seq: 9, aux: 3, littleEndian: false };

/** A table whose COUNTER group answers `n` bytes, echoes, or throws. */
const table = (h: (payload: Uint8Array) => ReturnType<GroupHandler>): HandlerTable => ({ ...DEFAULT_HANDLERS, [Group.COUNTER]: (_c, req) => h(req.payload) });
const sized = (n: number) => table(() => reply(new Uint8Array(n).fill(1)));

describe('dispatchPacket: handler bugs are answered ABORTED and reported (spec-wire 13)', () => {
  it('an answer of DATA_LEN bytes is sent whole; one byte more is a 4-byte ABORTED, reported, never cut', async () => {
    const problems: HandlerProblem[] = [];
    const whole = decodePacket(await dispatchPacket(ctx, { header, payload: new Uint8Array(0) }, sized(64), (p) => problems.push(p)))!;
    expect([whole.header, whole.payload.length, problems]).toEqual([header, 64, []]);
    const over = decodePacket(await dispatchPacket(ctx, { header, payload: new Uint8Array(0) }, sized(65), (p) => problems.push(p)))!;
    expect(over.header).toEqual(header);
    expect(Array.from(over.payload)).toEqual([0xff, 0xff, 0xf8, 0x2e]); // -2002 big-endian, as the request
    expect(problems).toEqual([{ kind: 'oversize', group: Group.COUNTER, action: 2, size: 65, limit: 64 }]);
  });

  it('an echo of an over-long request is refused the same way', async () => {
    const problems: HandlerProblem[] = [];
    const answer = decodePacket(await dispatchPacket(ctx, { header, payload: new Uint8Array(65) }, table(() => ECHO), (p) => problems.push(p)))!;
    expect(answer.payload.length).toBe(4);
    expect(problems.map((p) => p.kind)).toEqual(['oversize']);
  });

  it('a thrown error is reported with the request group and action; a throwing reporter costs nobody the answer', async () => {
    const boom = new Error('boom');
    const problems: HandlerProblem[] = [];
    const throwing = table(() => {
      throw boom;
    });
    const a = decodePacket(await dispatchPacket(ctx, { header, payload: new Uint8Array(0) }, throwing, (p) => problems.push(p)))!;
    expect(new DataView(a.payload.buffer, a.payload.byteOffset).getInt32(0, false)).toBe(WhError.ABORTED);
    expect(problems).toEqual([{ kind: 'threw', group: Group.COUNTER, action: 2, error: boom }]);
    const b = await dispatchPacket(ctx, { header, payload: new Uint8Array(0) }, sized(100), () => {
      throw new Error('reporter down');
    });
    expect(decodePacket(b)!.payload.length).toBe(4);
    // Callers that pass no reporter (the session today) still get the ABORTED answer.
    expect(decodePacket(await dispatchPacket(ctx, { header, payload: new Uint8Array(0) }, sized(100)))!.payload.length).toBe(4);
  });

  it('through a server: the client sees ABORTED instead of a truncated answer', async () => {
    const { connect } = testServer({ config: { dataLen: 64 }, handlers: { ...DEFAULT_HANDLERS, [Group.COMM]: () => reply(new Uint8Array(70)) } });
    const { client } = connect();
    const r = await client.request(kind(Group.COMM, CommAction.ECHO), new Uint8Array(1));
    expect([r.length, r.i32(0)]).toEqual([4, WhError.ABORTED]);
  });
});

import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { CounterAction, Group, kind } from '../../src/protocol/groups.js';
import { testServer } from '../helpers/server-fixture.js';

describe('COUNTER rows of the edge-case table (spec-core 5, 9; spec-wire 11)', () => {
  it('increment/read of a missing counter: NOTFOUND; destroy of a missing counter: OK', async () => {
    const { client } = testServer().connect();
    await client.commInit(15);
    expect((await client.counterIncrement(2)).rc).toBe(WhError.NOTFOUND);
    expect((await client.counterRead(2)).rc).toBe(WhError.NOTFOUND);
    expect(await client.counterDestroy(2)).toBe(0);
  });

  it('INIT creates NVM object 0x3F02 for client 15; increment saturates at 0xFFFFFFFF without writing', async () => {
    const { client } = testServer().connect();
    await client.commInit(15);
    expect(await client.counterInit(2, 0xfffffffe)).toEqual({ rc: 0, value: 0xfffffffe });
    expect(await client.nvmList(0, 0, 0)).toEqual({ rc: 0, count: 1, id: 0x3f02 });
    expect(await client.counterIncrement(2)).toEqual({ rc: 0, value: 0xffffffff });
    const before = await client.nvmGetAvailable();
    expect(await client.counterIncrement(2)).toEqual({ rc: 0, value: 0xffffffff });
    expect(await client.nvmGetAvailable()).toEqual(before);
  });

  it('60 increments (2 × the object count) compact automatically; create/destroy 1..59 returns avail objects to baseline', async () => {
    const { client } = testServer().connect();
    await client.commInit(3);
    const base = (await client.nvmGetAvailable()).availObjects;
    await client.counterInit(0, 0);
    for (let i = 1; i <= 60; i++) expect(await client.counterIncrement(0)).toEqual({ rc: 0, value: i });
    expect(await client.counterDestroy(0)).toBe(0);
    for (let id = 1; id < 60; id++) {
      expect((await client.counterInit(id, id)).rc).toBe(0);
      expect(await client.counterDestroy(id)).toBe(0);
      expect((await client.counterRead(id)).rc).toBe(WhError.NOTFOUND);
    }
    expect((await client.nvmGetAvailable()).availObjects).toBe(base);
  });

  it('a request shorter than 8 bytes gets BADARGS in an 8-byte response; an unknown action echoes the request', async () => {
    const { client } = testServer().connect();
    const short = await client.request(kind(Group.COUNTER, CounterAction.READ), new Uint8Array(7));
    expect([short.length, short.i32(0)]).toEqual([8, WhError.BADARGS]);
    const echo = await client.request(kind(Group.COUNTER, 9), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(Array.from(echo.bytes)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counter ids above 255 alias (only the low byte survives); counters are per client', async () => {
    const { connect } = testServer();
    const a = connect().client;
    const b = connect().client;
    await a.commInit(1);
    await b.commInit(2);
    await a.counterInit(0x105, 10);
    expect(await a.counterRead(5)).toEqual({ rc: 0, value: 10 });
    expect((await b.counterRead(5)).rc).toBe(WhError.NOTFOUND);
  });
});

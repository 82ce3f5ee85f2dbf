import { describe, expect, it } from 'vitest';
import { HsmClient } from '../../src/client/hsm-client.js';
import { PoolEngine } from '../../src/crypto/pool-engine.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import { cryptoHandler, responsePayload } from '../../src/handlers/crypto/crypto-handler.js';
import type { CryptoFamily } from '../../src/handlers/crypto/crypto-types.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { CryptoRequestHeader } from '../../src/protocol/messages/crypto-header.js';
import { testServer } from '../helpers/server-fixture.js';

/** A family whose work is one long job on the engine (CRYPTO action 3 here, as key generation would be). */
const slowFamily: CryptoFamily = async (ctx, req) => {
  const out = await ctx.engine.run<string>('test.spin', { ms: 400, tag: 'keygen' }, Number.MAX_SAFE_INTEGER);
  return { rc: 0, payload: responsePayload(12 + out.length, req.littleEndian).set(12, new TextEncoder().encode(out)).bytes };
};

describe('crypto work never holds another client up', () => {
  it('while one client\'s long job runs in the worker pool, another client\'s ECHO and NVM READ are answered', async () => {
    const engine = new PoolEngine({ jobsModule: new URL('./helpers/slow-jobs.ts', import.meta.url), threads: 1 });
    const { server } = testServer({
      cryptoEngine: engine,
      handlers: { ...DEFAULT_HANDLERS, [Group.CRYPTO]: cryptoHandler({ engine, families: { 3: slowFamily } }) },
    });
    const a = new HsmClient(server.connectMemory().client);
    const b = new HsmClient(server.connectMemory().client);
    await b.nvmAddObject(makeMetadata({ id: 3 }), new Uint8Array([7, 7]));
    const order: string[] = [];
    const slow = a.request(kind(Group.CRYPTO, 3), CryptoRequestHeader.encode({ algoType: 9, algoSubType: 0, affinity: 0 }, true)).then((r) => {
      order.push('keygen');
      return new TextDecoder().decode(r.bytes.subarray(12));
    });
    await new Promise((r) => setTimeout(r, 50)); // the job is running in the worker by now
    for (let i = 0; i < 5; i++) {
      expect(await b.echo(new Uint8Array([i]))).toEqual(new Uint8Array([i]));
      expect((await b.nvmRead(3, 0, 2)).data).toEqual(new Uint8Array([7, 7]));
    }
    order.push('echo and read');
    expect(await slow).toBe('keygen:done');
    expect(order).toEqual(['echo and read', 'keygen']);
    await server.close();
  });
});

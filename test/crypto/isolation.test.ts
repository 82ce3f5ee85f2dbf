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

describe('RSA-4096 key generation never holds another client up', () => {
  it('while clients generate RSA-4096 keys in the worker pool, another client\'s ECHO, NVM READ and AES requests are all answered first', async () => {
    const engine = new PoolEngine({ threads: 1 });
    const { server } = testServer({ cryptoEngine: engine });
    const makers = Array.from({ length: 3 }, () => new HsmClient(server.connectMemory().client));
    const other = new HsmClient(server.connectMemory().client);
    await other.nvmAddObject(makeMetadata({ id: 3 }), new Uint8Array([7, 7]));
    const key = new Uint8Array(16).fill(9);
    const order: string[] = [];
    // Three 4096-bit generations queue on one worker: together they take far longer than the rounds below.
    const keygens = makers.map((c) =>
      c.crypto.rsa.generate({ bits: 4096, ephemeral: true }).then((r) => {
        order.push('keygen');
        return r;
      }),
    );
    for (let i = 0; i < 10; i++) {
      expect(await other.echo(new Uint8Array([i]))).toEqual(new Uint8Array([i]));
      expect((await other.nvmRead(3, 0, 2)).data).toEqual(new Uint8Array([7, 7]));
      expect((await other.crypto.aesEcb({ key, encrypt: true, data: new Uint8Array(16) })).rc).toBe(0);
    }
    order.push('others');
    for (const r of await Promise.all(keygens)) expect(r.rc === 0 && 'privateKey' in r && r.privateKey.length > 2300).toBe(true);
    expect(order).toEqual(['others', 'keygen', 'keygen', 'keygen']);
    await server.close();
  }, 120_000);
});

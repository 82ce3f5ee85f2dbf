import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HsmClient } from '../../src/client/hsm-client.js';
import { ClientKeyFlag } from '../../src/keystore/key-id.js';
import { NvmFlags } from '../../src/nvm/metadata.js';
import { KeystoreModel } from '../models/keystore-model.js';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_HANDLERS, type HandlerTable } from '../../src/handlers/dispatch.js';
import { handleKey } from '../../src/handlers/key.js';
import { reply, type GroupHandler } from '../../src/handlers/handler-types.js';
import { Group, KeyAction } from '../../src/protocol/groups.js';
import { ramFlash, testServer } from '../helpers/server-fixture.js';

const GEOMETRY = { count: 2, bufSize: 16, bigCount: 1, bigBufSize: 64 };

type Cmd =
  | { t: 'cache'; n: number; g: boolean; flags: number; len: number; v: number }
  | { t: 'evict' | 'export' | 'commit' | 'erase' | 'revoke'; n: number; g: boolean }
  | { t: 'cinit'; id: number; v: number }
  | { t: 'cinc' | 'cread' | 'cdestroy'; id: number };

const n = fc.integer({ min: 1, max: 3 });
const g = fc.boolean();
const flags = fc.subarray([NvmFlags.NONEXPORTABLE, NvmFlags.NONMODIFIABLE, NvmFlags.NONDESTROYABLE, NvmFlags.USAGE_SIGN]).map((fs) => fs.reduce((a, b) => a | b, 0));
const cid = fc.integer({ min: 1, max: 2 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('cache' as const), n, g, flags, len: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 16 }) }, { weight: 1, arbitrary: fc.integer({ min: 17, max: 70 }) }), v: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('commit' as const), n, g }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constantFrom('evict' as const, 'export' as const, 'erase' as const, 'revoke' as const), n, g }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cinit' as const), id: cid, v: fc.constantFrom(0, 5, 0xfffffffe, 0xffffffff) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('cinc' as const, 'cread' as const, 'cdestroy' as const), id: cid }) },
);

async function real(c: HsmClient, x: Cmd): Promise<unknown> {
  const key = 'n' in x ? x.n | (x.g ? ClientKeyFlag.GLOBAL : 0) : 0;
  switch (x.t) {
    case 'cache':
      return (await c.keyCache(key, Uint8Array.from({ length: x.len }, (_, i) => x.v + i), { flags: x.flags })).rc;
    case 'evict':
      return c.keyEvict(key);
    case 'export': {
      const e = await c.keyExport(key);
      return { rc: e.rc, data: Array.from(e.data) };
    }
    case 'commit':
      return c.keyCommit(key);
    case 'erase':
      return c.keyErase(key);
    case 'revoke':
      return c.keyRevoke(key);
    case 'cinit':
      return c.counterInit(x.id, x.v);
    case 'cinc':
      return c.counterIncrement(x.id);
    case 'cread':
      return c.counterRead(x.id);
    case 'cdestroy':
      return c.counterDestroy(x.id);
  }
}

function modelled(m: KeystoreModel, x: Cmd): unknown {
  switch (x.t) {
    case 'cache':
      return m.cacheKey(x.n, x.g, x.flags, Array.from({ length: x.len }, (_, i) => (x.v + i) & 0xff));
    case 'evict':
      return m.evict(x.n, x.g);
    case 'export':
      return m.export(x.n, x.g);
    case 'commit':
      return m.commit(x.n, x.g);
    case 'erase':
      return m.erase(x.n, x.g);
    case 'revoke':
      return m.revoke(x.n, x.g);
    case 'cinit':
      return m.counterInit(x.id, x.v);
    case 'cinc':
      return m.counterIncrement(x.id);
    case 'cread':
      return m.counterRead(x.id);
    case 'cdestroy':
      return m.counterDestroy(x.id);
  }
}

/** Runs `cmds` against a fresh server and the model; true when every answer agrees. */
async function agrees(cmds: Cmd[], handlers?: HandlerTable): Promise<boolean> {
  const { server, connect } = testServer({
    flash: ramFlash(32768),
    config: { keyCacheCount: GEOMETRY.count, keyCacheBufSize: GEOMETRY.bufSize, keyCacheBigCount: GEOMETRY.bigCount, keyCacheBigBufSize: GEOMETRY.bigBufSize, nvmObjectCount: 24 },
    ...(handlers ? { handlers } : {}),
  });
  const { client } = connect();
  await client.commInit(1);
  const model = new KeystoreModel(GEOMETRY);
  try {
    for (const x of cmds) if (!isDeepStrictEqual(await real(client, x), modelled(model, x))) return false;
    return true;
  } finally {
    server.stop();
  }
}

const commands = fc.array(cmd, { minLength: 1, maxLength: 40, size: 'max' });

describe('keystore and counters against a plain model (through the whole server)', () => {
  it("every answer of a random command sequence equals the model's", async () => {
    await fc.assert(fc.asyncProperty(commands, (cmds) => agrees(cmds)), { numRuns: 150 });
  });

  it('the comparison is not vacuous: a KEY handler whose EVICT skips the policy check is caught', async () => {
    const evictAlwaysOk: GroupHandler = (ctx, req) =>
      req.action === KeyAction.EVICT ? reply(new Uint8Array(12)) : handleKey(ctx, req);
    const broken = { ...DEFAULT_HANDLERS, [Group.KEY]: evictAlwaysOk };
    const out = await fc.check(fc.asyncProperty(commands, (cmds) => agrees(cmds, broken)), { numRuns: 300 });
    expect(out.failed).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { InlineEngine } from '../../src/crypto/inline-engine.js';
import { CRYPTO_JOBS } from '../../src/crypto/jobs.js';
import { WhError } from '../../src/errors.js';
import { DEFAULT_HANDLERS } from '../../src/handlers/dispatch.js';
import type { GroupHandler, OwnerPort } from '../../src/handlers/handler-types.js';
import { sheHandler } from '../../src/handlers/she/she-handler.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { Group } from '../../src/protocol/groups.js';
import { SheLoadKeyRequest, SheLoadKeyResponse } from '../../src/protocol/messages/she.js';
import { authSlotOf, counterOf, makeKeyUpdate, openKeyUpdate, proofMessages, storedFlagsOf, targetSlotOf } from '../../src/she/key-update.js';
import { SheAction } from '../../src/she/she-constants.js';
import { sheKeyMeta, sheLabel } from '../../src/she/she-label.js';
import { sheKeyId } from '../../src/she/she-keys.js';
import { SPEC, hex, sheClient, sheServer } from './she-helpers.js';

const KEY_A = new Uint8Array(16).fill(0xaa);
const KEY_B = new Uint8Array(16).fill(0xbb);
/** Two key updates of slot 4 with the same counter: a replay in all but the key. Only one may be accepted. */
const updateA = makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: 1, authKey: new Uint8Array(16), newKey: KEY_A, counter: 1 });
const updateB = makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: 1, authKey: new Uint8Array(16), newKey: KEY_B, counter: 1 });

/**
 * A deliberately broken LOAD_KEY: the counter check reads the slot in one owner
 * message and the write is a second one (the auth key is the absent MASTER_ECU_KEY,
 * zeros). Everything else goes to the real handler.
 */
function splitLoadKey(real: GroupHandler): GroupHandler {
  return async (ctx, req) => {
    if (req.action !== SheAction.LOAD_KEY) return real(ctx, req);
    const le = req.header.littleEndian;
    const r = SheLoadKeyRequest.decode(req.payload, le)!;
    const fail = (rc: number) => ({ payload: SheLoadKeyResponse.encode({ rc, m4: new Uint8Array(32), m5: new Uint8Array(16) }, le) });
    const plain = openKeyUpdate(new Uint8Array(16), r.m1, r.m2, r.m3);
    if (!plain) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    const id = sheKeyId(ctx.session.clientId, targetSlotOf(r.m1));
    const meta = await ctx.owner.call(ctx.session.sessionId, 'nvm.getMetadata', { id });
    if (meta.rc === 0 && counterOf(plain) <= sheKeyMeta(meta.value.label).counter) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    // ... another request may run here ...
    const label = sheLabel(counterOf(plain), storedFlagsOf(plain));
    const w = await ctx.owner.call(ctx.session.sessionId, 'nvm.addObject', { meta: makeMetadata({ id, access: 0, flags: 0, len: 16, label }), data: plain.slice(16) });
    if (w.rc !== 0) return fail(WhError.SHE_KEY_UPDATE_ERROR);
    const { m4, m5 } = proofMessages(SPEC.uid, targetSlotOf(r.m1), authSlotOf(r.m1), plain.slice(16), counterOf(plain));
    return { payload: SheLoadKeyResponse.encode({ rc: 0, m4, m5 }, le) };
  };
}

/**
 * Holds the first connection's owner message of kind `kind` (before it reaches the
 * owner, or after its answer when `after`) until `release` is called.
 */
function holdFirst(kind: string, after = false) {
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const atHold = new Promise<void>((r) => (reached = r));
  let held = false;
  const interceptOwner = (port: OwnerPort, sessionId: string): OwnerPort => ({
    ...port,
    call: async (lessee, k, args) => {
      const hold = sessionId === 'session-1' && k === kind && !held;
      if (hold) held = true;
      if (hold && !after) {
        reached();
        await released;
      }
      const res = await port.call(lessee, k, args);
      if (hold && after) {
        reached();
        await released;
      }
      return res;
    },
  });
  return { interceptOwner, atHold, release };
}

/** Connection 1 starts LOAD_KEY A and is held; connection 2 (same client id) runs LOAD_KEY B to the end; then 1 goes on. */
async function race(opts: Parameters<typeof sheServer>[0], hold: ReturnType<typeof holdFirst>) {
  const { server, connect } = sheServer({ ...opts, interceptOwner: hold.interceptOwner });
  const a = await sheClient(connect, 1);
  const b = await sheClient(connect, 1);
  expect(await b.she.setUid(SPEC.uid)).toBe(0);
  expect((await b.she.secureBootInit(0)).rc).toBe(WhError.SHE_NO_SECURE_BOOT);
  const first = a.she.loadKey(updateA);
  await hold.atHold;
  const second = await b.she.loadKey(updateB);
  hold.release();
  const rcs = [(await first).rc, second.rc];
  const meta = await b.nvmGetMetadata(sheKeyId(1, 4));
  const stored = hex((await b.nvmRead(sheKeyId(1, 4), 0, 16)).data);
  await server.stop();
  return { rcs, counter: sheKeyMeta(meta.meta.label).counter, stored };
}

describe('LOAD_KEY must be one owner message (2.12)', () => {
  it('split into read-then-write, the interleaving accepts both updates with counter 1: a replay gets through', async () => {
    const engine = new InlineEngine(CRYPTO_JOBS);
    const out = await race({ cryptoEngine: engine, handlers: { ...DEFAULT_HANDLERS, [Group.SHE]: splitLoadKey(sheHandler(engine)) } }, holdFirst('nvm.addObject'));
    expect(out.rcs).toEqual([0, 0]);
    // Both clients were told their key is slot 4's, counter 1; the one stored is A's, written last.
    expect(out).toMatchObject({ counter: 1, stored: hex(KEY_A) });
  });

  it('the atomic handler, held before its one message: the later update (same counter) is refused', async () => {
    const out = await race({}, holdFirst('she.loadKey'));
    expect(out.rcs).toEqual([WhError.SHE_KEY_UPDATE_ERROR, 0]);
    expect(out).toMatchObject({ counter: 1, stored: hex(KEY_B) });
  });

  it('the atomic handler, held after its one message: the other update is refused', async () => {
    const out = await race({}, holdFirst('she.loadKey', true));
    expect(out.rcs).toEqual([0, WhError.SHE_KEY_UPDATE_ERROR]);
    expect(out).toMatchObject({ counter: 1, stored: hex(KEY_A) });
  });
});

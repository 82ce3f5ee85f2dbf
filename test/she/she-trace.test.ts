import { describe, expect, it } from 'vitest';
import { Group } from '../../src/protocol/groups.js';
import { SheAction } from '../../src/she/she-constants.js';
import { hex, replayTrace, type Exchange } from '../crypto/helpers/trace-exchanges.js';
import { sheServer } from './she-helpers.js';

const SHE_KINDS = new Set(Object.values(SheAction).map((a) => Group.SHE | a));

/** Reply bytes wolfHSM leaves stale (its reply overwrites the request buffer): GET_STATUS and VERIFY_MAC pad after the u8 field. */
const STALE: Partial<Record<number, readonly [number, number]>> = {
  [SheAction.GET_STATUS]: [5, 12],
  [SheAction.VERIFY_MAC]: [5, 12],
};

function masked(action: number, payload: Uint8Array): string {
  const b = payload.slice();
  const r = STALE[action];
  if (r) b.fill(0, r[0], r[1]);
  return hex(b);
}

describe('SHE golden trace', () => {
  // The trimmed trace keeps the SHE exchanges but drops the NVM provisioning they depend on, so only the full one replays.
  it('answers every SHE exchange of the crypto client suite as the C server did', async () => {
    const { server } = sheServer();
    const seen: Exchange[] = [];
    const n = await replayTrace('test-clientonly-crypto.trace', server, SHE_KINDS, (e) => seen.push(e));
    const actions = new Set(seen.map((e) => e.request.header.kind & 0xff));
    expect(actions.size).toBe(17);
    for (const e of seen) {
      const action = e.request.header.kind & 0xff;
      expect({ line: e.line, bytes: masked(action, e.ours.payload) }).toEqual({ line: e.line, bytes: masked(action, e.recorded.payload) });
      // Where the C server leaves stale bytes, we send zeros.
      expect(hex(e.ours.payload)).toBe(masked(action, e.ours.payload));
    }
    expect(n).toBe(22);
    await server.stop();
  });
});

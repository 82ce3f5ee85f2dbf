import { transition } from 'xstate';
import type { LesseeId, OwnerContext } from './owner-events.js';
import { ownerMachine } from './owner-machine.js';
import type { OwnerStore } from './owner-store.js';

/** How an `op`'s sender relates to the current lease: the guard inputs of the `op` transitions. */
export type LaneKey = `${string}|${'none' | 'self' | 'other'}|${'revoked' | 'clear'}`;

export function laneKey(state: string, context: Pick<OwnerContext, 'holder' | 'revoked'>, lessee: LesseeId): LaneKey {
  const holder = context.holder === null ? 'none' : context.holder.lessee === lessee ? 'self' : 'other';
  return `${state}|${holder}|${context.revoked.includes(lessee) ? 'revoked' : 'clear'}`;
}

/**
 * The same table as bits, for the hot path: per resting state, bit (holder * 2 +
 * revoked) with holder 0 none, 1 self, 2 other. No string is built per message.
 */
export type LaneBits = Readonly<Record<string, number>>;

export function laneBits(lane: ReadonlySet<LaneKey>): LaneBits {
  const bits: Record<string, number> = {};
  const holders = ['none', 'self', 'other'] as const;
  for (const key of lane) {
    const [state, holder, revoked] = key.split('|') as [string, (typeof holders)[number], string];
    bits[state] = (bits[state] ?? 0) | (1 << (holders.indexOf(holder) * 2 + (revoked === 'revoked' ? 1 : 0)));
  }
  return bits;
}

export function laneAllows(bits: LaneBits, state: string, context: Pick<OwnerContext, 'holder' | 'revoked'>, lessee: LesseeId): boolean {
  const b = bits[state];
  if (!b) return false;
  const holder = context.holder === null ? 0 : context.holder.lessee === lessee ? 1 : 2;
  const revoked = context.revoked.length > 0 && context.revoked.includes(lessee) ? 1 : 0;
  return (b & (1 << (holder * 2 + revoked))) !== 0;
}

const PROBE_OP = { kind: 'nvm.getAvailable', args: {} } as const;

/** The resting states (handover is transient) and the lease relations each can have. */
const CASES: readonly [string, readonly ('none' | 'self' | 'other')[]][] = [
  ['serving', ['none']],
  ['leased', ['self', 'other']],
  ['contended', ['self', 'other']],
  ['stopped', ['none']],
];

/**
 * Asks the machine itself, for every resting state and every guard input, what it
 * would do with an `op`: the direct lane may run an op only where the answer is
 * exactly the `executeOp` action with state and context unchanged. Computed once
 * from the definition (xstate's pure `transition`, no action runs), so the fast
 * path can never disagree with the machine.
 */
export function deriveDirectLane(store: OwnerStore): ReadonlySet<LaneKey> {
  const direct = new Set<LaneKey>();
  const me = 'lessee-under-test';
  for (const [state, holders] of CASES) {
    for (const h of holders) {
      for (const revoked of [false, true]) {
        const context: OwnerContext = {
          name: 'lane-probe',
          holder: h === 'none' ? null : { lessee: h === 'self' ? me : 'someone-else', grant: 1 },
          // A contended lease always has someone waiting (the state leaves as soon as nobody does).
          waiting: state === 'contended' ? [{ type: 'op', lessee: 'third', ticket: 0, op: PROBE_OP }] : [],
          revoked: revoked ? [me] : [],
          leasesGranted: 1,
          heldSince: 0,
          leaseTimeoutMs: 0,
          store,
        };
        const snapshot = ownerMachine.resolveState({ value: state, context });
        const [next, actions] = transition(ownerMachine, snapshot, { type: 'op', lessee: me, ticket: 0, op: PROBE_OP });
        const pure = next.value === snapshot.value && next.context === snapshot.context;
        if (pure && actions.length === 1 && actions[0]!.type === 'executeOp') direct.add(laneKey(state, context, me));
      }
    }
  }
  return direct;
}

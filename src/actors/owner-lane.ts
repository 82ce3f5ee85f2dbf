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

/** The resting states (handover is transient) and the lease relations each can have. */
const CASES: readonly [string, readonly ('none' | 'self' | 'other')[]][] = [
  ['serving', ['none']],
  ['leased', ['self', 'other']],
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
          waiting: [],
          revoked: revoked ? [me] : [],
          leasesGranted: 1,
          leaseTimeoutMs: 0,
          store,
        };
        const snapshot = ownerMachine.resolveState({ value: state, context });
        const [next, actions] = transition(ownerMachine, snapshot, { type: 'op', lessee: me, ticket: 0, op: { kind: 'nvm.getAvailable', args: {} } });
        const pure = next.value === snapshot.value && next.context === snapshot.context;
        if (pure && actions.length === 1 && actions[0]!.type === 'executeOp') direct.add(laneKey(state, context, me));
      }
    }
  }
  return direct;
}

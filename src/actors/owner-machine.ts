import { assign, setup } from 'xstate';
import type { OwnerContext, OwnerEvent } from './owner-events.js';

/**
 * The owner actor: the only place where shared state (NVM, flash, global key
 * cache) is touched. Each `op` event runs one compound operation to completion in
 * one transition, so the mailbox order is the serialisation order.
 *
 * The lease behind the lock API is a state: in `leased`, only the holder's
 * messages are served and everyone else's are deferred in arrival order; release
 * (or the holder going away) replays them until one takes the lease again.
 *
 * Action bodies here are placeholders so the definition can be exported to the
 * visualizer; {@link bindOwnerMachine} supplies the real ones over an OwnerCore.
 * The `op` transitions that are pure `executeOp` self-transitions may be run by
 * the owner's mailbox directly (Owner.call's direct lane); the states, guards and
 * every other transition are exactly this definition.
 */
export const ownerMachine = setup({
  types: {
    context: {} as OwnerContext,
    events: {} as OwnerEvent,
    input: {} as { name: string },
  },
  actions: {
    executeOp: () => {},
    deferMessage: () => {},
    grantLease: () => {},
    refuseRecursiveAcquire: () => {},
    acknowledgeRelease: () => {},
    endLease: () => {},
    dropDeferredOfLessee: () => {},
    replayDeferred: () => {},
    rejectStopped: () => {},
    abortAll: () => {},
    syncView: assign(({ context }) => context),
  },
  guards: {
    fromHolder: ({ context, event }) => 'lessee' in event && event.lessee === context.holder,
    leaseHeld: ({ context }) => context.holder !== null,
  },
}).createMachine({
  id: 'nvmOwner',
  context: ({ input }) => ({ name: input.name, holder: null, deferred: 0, leasesGranted: 0 }),
  initial: 'serving',
  states: {
    serving: {
      description: 'No lease: every operation is served in mailbox order.',
      on: {
        op: { actions: 'executeOp' },
        'lease.acquire': { actions: ['grantLease', 'syncView'], target: 'leased' },
        'lease.release': { actions: 'acknowledgeRelease' },
        'client.gone': {},
        stop: { target: 'stopped' },
      },
    },
    leased: {
      description: 'One lessee holds the lease: its messages are served, the rest wait in arrival order.',
      on: {
        op: [{ guard: 'fromHolder', actions: 'executeOp' }, { actions: ['deferMessage', 'syncView'] }],
        'lease.acquire': [{ guard: 'fromHolder', actions: 'refuseRecursiveAcquire' }, { actions: ['deferMessage', 'syncView'] }],
        'lease.release': [
          { guard: 'fromHolder', actions: ['endLease', 'replayDeferred', 'syncView'], target: 'handover' },
          { actions: 'acknowledgeRelease' },
        ],
        'client.gone': [
          { guard: 'fromHolder', actions: ['dropDeferredOfLessee', 'endLease', 'replayDeferred', 'syncView'], target: 'handover' },
          { actions: ['dropDeferredOfLessee', 'syncView'] },
        ],
        stop: { target: 'stopped' },
      },
    },
    handover: {
      description: 'The lease just ended and deferred messages were replayed: one of them may have taken the lease.',
      always: [{ guard: 'leaseHeld', target: 'leased' }, { target: 'serving' }],
    },
    stopped: {
      description: 'Shut down: every message is answered ABORTED.',
      entry: ['abortAll', 'syncView'],
      on: {
        op: { actions: 'rejectStopped' },
        'lease.acquire': { actions: 'rejectStopped' },
        'lease.release': { actions: 'rejectStopped' },
      },
    },
  },
});

export type OwnerMachine = typeof ownerMachine;

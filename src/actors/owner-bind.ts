import { assign } from 'xstate';
import { WhError } from '../errors.js';
import type { OwnerCore } from './owner-core.js';
import { ownerMachine } from './owner-machine.js';

/** The owner machine with its actions bound to one OwnerCore. */
export function bindOwnerMachine(core: OwnerCore) {
  return ownerMachine.provide({
    actions: {
      executeOp: ({ event }) => {
        if (event.type === 'op') core.execute(event);
      },
      deferMessage: ({ event }) => {
        if (event.type === 'op' || event.type === 'lease.acquire') core.defer(event);
      },
      grantLease: ({ event }) => {
        if (event.type === 'lease.acquire') core.grant(event);
      },
      // Not recursive: a holder acquiring again gets ABORTED (pthread's EDEADLK), never a deadlock.
      refuseRecursiveAcquire: ({ event }) => core.rejectOp(event, WhError.ABORTED),
      // Releasing a lease one does not hold is harmless: OK.
      acknowledgeRelease: ({ event }) => {
        if (event.type === 'lease.release') core.answer(event.ticket, WhError.OK);
      },
      endLease: ({ event }) => {
        core.endLease();
        if (event.type === 'lease.release') core.answer(event.ticket, WhError.OK);
      },
      dropDeferredOfLessee: ({ event }) => {
        if (event.type === 'client.gone') core.dropDeferredOf(event.lessee);
      },
      replayDeferred: () => core.replayDeferred(),
      rejectStopped: ({ event }) => core.rejectOp(event, WhError.ABORTED),
      abortAll: () => core.abortAll(),
      syncView: assign(({ context }) => core.view(context.name)),
    },
  });
}

import { assign, setup } from 'xstate';
import { WhError, type WhRc } from '../errors.js';
import type { LeaseHolder, LesseeId, OwnerContext, OwnerEvent, OwnerInput, WaitingMessage } from './owner-events.js';

type OpEvent = Extract<OwnerEvent, { type: 'op' }>;
type Ticketed = Extract<OwnerEvent, { ticket: number }>;
const lesseeOf = (e: OwnerEvent): LesseeId | null => ('lessee' in e ? e.lessee : null);

/** Answers the message ABORTED: an op with `{ rc }`, a lease call with the bare code. */
function answerAborted({ context, event }: { context: OwnerContext; event: OwnerEvent }): void {
  if (event.type === 'op') context.store.answer(event.ticket, { rc: WhError.ABORTED });
  else if ('ticket' in event) context.store.answer(event.ticket, WhError.ABORTED);
}

/**
 * Serves the waiting messages in arrival order until one of them takes the lease;
 * after that, only the new holder's own messages (sent after its acquire) run, and
 * everyone else's keep waiting. Pure: it only plans actions and the new context.
 */
function planReplay(waiting: readonly WaitingMessage[], leasesGranted: number) {
  let holder: LeaseHolder | null = null;
  let granted = leasesGranted;
  const keep: WaitingMessage[] = [];
  const steps: ({ type: 'runOp'; params: OpEvent } | { type: 'answer'; params: { ticket: number; rc: WhRc } })[] = [];
  for (const m of waiting) {
    if (holder === null || m.lessee === holder.lessee) {
      if (m.type === 'op') steps.push({ type: 'runOp', params: m });
      else if (holder === null) {
        holder = { lessee: m.lessee, grant: ++granted };
        steps.push({ type: 'answer', params: { ticket: m.ticket, rc: WhError.OK } });
      } else steps.push({ type: 'answer', params: { ticket: m.ticket, rc: WhError.ABORTED } });
    } else keep.push(m);
  }
  return { holder, waiting: keep, leasesGranted: granted, steps };
}

/**
 * The owner actor: the only place where shared state (NVM, flash, global key
 * cache) is touched. Each `op` event runs one compound operation to completion in
 * one transition, so the mailbox order is the serialisation order.
 *
 * The lease behind the lock API is the `leased` state: only the holder's messages
 * are served, everyone else's wait in `context.waiting` in arrival order. Release,
 * the holder going away, or its deadline passing replays them until one takes the
 * lease again. Misuse answers as an error-checking pthread mutex would: acquiring
 * twice ABORTED, releasing what one does not hold LOCKED.
 *
 * Owner.call may run an `op` itself when this machine's transition for it would
 * be exactly `executeOp` with state and context unchanged (owner-lane.ts derives
 * that table from this definition).
 */
const base = setup({
  types: {
    context: {} as OwnerContext,
    events: {} as OwnerEvent,
    input: {} as OwnerInput,
  },
  actions: {
    executeOp: ({ context, event }) => {
      if (event.type === 'op') context.store.execute(event);
    },
    runOp: ({ context }, params: OpEvent) => context.store.execute(params),
    answer: ({ context }, params: { ticket: number; rc: WhRc }) => context.store.answer(params.ticket, params.rc),
    // The uncontended lease, as plain steps: each is one small function, no planning at run time.
    takeLease: assign(({ context, event }) => {
      const grant = context.leasesGranted + 1;
      return { holder: { lessee: lesseeOf(event) ?? '', grant }, leasesGranted: grant, heldSince: performance.now() };
    }),
    // Answers the acquire OK and tells the notices feed who holds the lease now.
    confirmGrant: ({ context, event }) => {
      if (!('ticket' in event) || !context.holder) return;
      context.store.answer(event.ticket, WhError.OK);
      context.store.notices.next({ type: 'lease.granted', lessee: context.holder.lessee, grant: context.holder.grant, waiting: context.waiting.length });
    },
    // Answers the release OK and tells the notices feed (before the holder is dropped).
    confirmRelease: ({ context, event }) => {
      if (!('ticket' in event) || !context.holder) return;
      context.store.answer(event.ticket, WhError.OK);
      context.store.notices.next({ type: 'lease.released', lessee: context.holder.lessee, grant: context.holder.grant });
    },
    dropHolder: assign({ holder: null }),
    wait: assign({ waiting: ({ context, event }) => [...context.waiting, event as WaitingMessage] }),
    // An error-checking mutex: the holder (or a lessee already waiting for it) acquiring again gets ABORTED (EDEADLK).
    refuseAcquire: ({ context, event }) => context.store.reject(event as Ticketed & WaitingMessage, WhError.ABORTED),
    // Releasing a lease one does not hold answers LOCKED (EPERM); one's pending acquire stays pending.
    refuseRelease: ({ context, event }) => context.store.answer((event as Ticketed).ticket, WhError.LOCKED),
    rejectStopped: answerAborted,
    // A revoked lessee's calls answer ABORTED until it releases (which clears the mark).
    rejectRevoked: answerAborted,
    clearRevoked: assign({ revoked: ({ context, event }) => context.revoked.filter((l) => l !== lesseeOf(event)) }),
    reject: ({ context }, params: { message: WaitingMessage }) => context.store.reject(params.message, WhError.ABORTED),
    forget: ({ context }, params: { lessee: LesseeId | null }) => params.lessee !== null && context.store.forget(params.lessee),
    notify: ({ context }, params: Parameters<OwnerContext['store']['notices']['next']>[0]) => context.store.notices.next(params),
    abortTickets: ({ context }) => context.store.abortTickets(),
  },
  guards: {
    fromHolder: ({ context, event }) => context.holder !== null && lesseeOf(event) === context.holder.lessee,
    fromRevoked: ({ context, event }) => context.revoked.includes(lesseeOf(event) ?? ''),
    alreadyWaiting: ({ context, event }) => context.waiting.some((m) => m.type === 'lease.acquire' && m.lessee === lesseeOf(event)),
    leaseHeld: ({ context }) => context.holder !== null,
    nobodyWaiting: ({ context }) => context.waiting.length === 0,
    leaseHeldWithWaiters: ({ context }) => context.holder !== null && context.waiting.length > 0,
    hasDeadline: ({ context }) => context.leaseTimeoutMs > 0,
  },
  delays: {
    // What is left of the holder's time: the deadline counts from the grant, not from the first waiter.
    leaseDeadline: ({ context }) => Math.max(0, context.heldSince + context.leaseTimeoutMs - performance.now()),
  },
});

/** Steps that plan other actions (typed against the primitive ones above). */
export const ownerMachine = base.extend({
  actions: {
    // Takes the lease away from its holder (gone, stop, deadline); a release is confirmRelease + dropHolder.
    endLease: base.enqueueActions(({ context, event, enqueue }) => {
      const h = context.holder;
      if (!h) return;
      const reason = event.type === 'lessee.gone' ? 'gone' : event.type === 'stop' ? 'stop' : 'deadline';
      if (reason !== 'gone') enqueue.assign({ revoked: [...context.revoked, h.lessee] });
      enqueue({ type: 'notify', params: { type: 'lease.revoked', lessee: h.lessee, grant: h.grant, reason } });
      enqueue.assign({ holder: null });
    }),
    dropWaitingOfLessee: base.enqueueActions(({ context, event, enqueue }) => {
      const gone = lesseeOf(event);
      for (const m of context.waiting) if (m.lessee === gone) enqueue({ type: 'reject', params: { message: m } });
      enqueue.assign({ waiting: context.waiting.filter((m) => m.lessee !== gone), revoked: context.revoked.filter((l) => l !== gone) });
      enqueue({ type: 'forget', params: { lessee: gone } });
    }),
    replayWaiting: base.enqueueActions(({ context, enqueue }) => {
      const plan = planReplay(context.waiting, context.leasesGranted);
      enqueue.assign({ holder: plan.holder, waiting: plan.waiting, leasesGranted: plan.leasesGranted, heldSince: plan.holder ? performance.now() : context.heldSince });
      for (const s of plan.steps) enqueue(s);
      if (plan.holder) enqueue({ type: 'notify', params: { type: 'lease.granted', ...plan.holder, waiting: plan.waiting.length } });
    }),
    abortAll: base.enqueueActions(({ context, enqueue }) => {
      for (const m of context.waiting) enqueue({ type: 'reject', params: { message: m } });
      enqueue.assign({ waiting: [] });
      enqueue({ type: 'abortTickets' });
    }),
  },
}).createMachine({
  id: 'nvmOwner',
  context: ({ input }) => ({
    name: input.name,
    holder: null,
    waiting: [],
    revoked: [],
    leasesGranted: 0,
    heldSince: 0,
    leaseTimeoutMs: input.leaseTimeoutMs,
    store: input.store,
  }),
  initial: 'serving',
  on: {
    'lessee.gone': { actions: 'dropWaitingOfLessee' },
    stop: { target: '.stopped' },
  },
  states: {
    serving: {
      description: 'No lease: every operation is served in mailbox order.',
      on: {
        op: [{ guard: 'fromRevoked', actions: 'rejectRevoked' }, { actions: 'executeOp' }],
        'lease.acquire': [
          { guard: 'fromRevoked', actions: ['clearRevoked', 'takeLease', 'confirmGrant'], target: 'leased' },
          { actions: ['takeLease', 'confirmGrant'], target: 'leased' },
        ],
        'lease.release': [{ guard: 'fromRevoked', actions: ['rejectRevoked', 'clearRevoked'] }, { actions: 'refuseRelease' }],
      },
    },
    leased: {
      description: 'One lessee holds the lease and nobody waits: its messages are served; the first message of anyone else makes the lease contended.',
      on: {
        op: [
          { guard: 'fromHolder', actions: 'executeOp' },
          { guard: 'fromRevoked', actions: 'rejectRevoked' },
          { actions: 'wait', target: 'contended' },
        ],
        'lease.acquire': [
          { guard: 'fromHolder', actions: 'refuseAcquire' },
          { actions: ['clearRevoked', 'wait'], target: 'contended' },
        ],
        'lease.release': [
          // Nobody waits: straight back to serving.
          { guard: 'fromHolder', actions: ['confirmRelease', 'dropHolder'], target: 'serving' },
          { guard: 'fromRevoked', actions: ['rejectRevoked', 'clearRevoked'] },
          { actions: 'refuseRelease' },
        ],
        'lessee.gone': [{ guard: 'fromHolder', actions: ['dropWaitingOfLessee', 'endLease'], target: 'serving' }, { actions: 'dropWaitingOfLessee' }],
      },
    },
    contended: {
      description:
        "One lessee holds the lease and others wait: the holder's messages are served, the rest wait in arrival order. Held past its deadline (counted from the grant), the lease is revoked and handed on.",
      after: {
        leaseDeadline: { guard: 'hasDeadline', actions: ['endLease', 'replayWaiting'], target: 'handover' },
      },
      always: { guard: 'nobodyWaiting', target: 'leased' },
      on: {
        op: [
          { guard: 'fromHolder', actions: 'executeOp' },
          { guard: 'fromRevoked', actions: 'rejectRevoked' },
          { actions: 'wait' },
        ],
        'lease.acquire': [
          { guard: 'fromHolder', actions: 'refuseAcquire' },
          { guard: 'alreadyWaiting', actions: 'refuseAcquire' },
          { actions: ['clearRevoked', 'wait'] },
        ],
        'lease.release': [
          { guard: 'fromHolder', actions: ['confirmRelease', 'dropHolder', 'replayWaiting'], target: 'handover' },
          { guard: 'fromRevoked', actions: ['rejectRevoked', 'clearRevoked'] },
          { actions: 'refuseRelease' },
        ],
        'lessee.gone': [
          { guard: 'fromHolder', actions: ['dropWaitingOfLessee', 'endLease', 'replayWaiting'], target: 'handover' },
          { actions: 'dropWaitingOfLessee' },
        ],
      },
    },
    handover: {
      description: 'The lease just ended and the waiting messages were replayed: one of them may have taken the lease.',
      always: [{ guard: 'leaseHeldWithWaiters', target: 'contended' }, { guard: 'leaseHeld', target: 'leased' }, { target: 'serving' }],
    },
    stopped: {
      description: 'Shut down: everything waiting and everything sent later is answered ABORTED.',
      entry: ['endLease', 'abortAll'],
      on: {
        op: { actions: 'rejectStopped' },
        'lease.acquire': { actions: 'rejectStopped' },
        'lease.release': { actions: 'rejectStopped' },
      },
    },
  },
});

export type OwnerMachine = typeof ownerMachine;

import { transition } from 'xstate';
import type { SessionContext, SessionEvent, SessionPorts } from './session-machine.js';
import { sessionMachine } from './session-machine.js';

type Settled = Extract<SessionEvent, { type: 'request.answered' | 'request.failed' | 'request.dropped' }>;

/** How a request ended, as far as the machine's guards can tell. */
export type RequestOutcome = 'plain' | 'identity' | 'close' | 'failed' | 'dropped';

/** A resting state and an outcome: may the whole round trip skip the machine? */
export type SessionLaneKey = `${string}|${RequestOutcome}`;

export function outcomeOf(event: Settled): RequestOutcome {
  if (event.type === 'request.failed') return 'failed';
  if (event.type === 'request.dropped') return 'dropped';
  return event.closeRequested ? 'close' : event.clientId !== null ? 'identity' : 'plain';
}

export function laneKey(state: string, outcome: RequestOutcome): SessionLaneKey {
  return `${state}|${outcome}`;
}

const PROBE = new Uint8Array(8);
const PROBE_EVENTS: Record<RequestOutcome, Settled> = {
  plain: { type: 'request.answered', response: PROBE, clientId: null, closeRequested: false },
  identity: { type: 'request.answered', response: PROBE, clientId: 4, closeRequested: false },
  close: { type: 'request.answered', response: PROBE, clientId: null, closeRequested: true },
  failed: { type: 'request.failed', reason: 'probe' },
  dropped: { type: 'request.dropped' },
};

/** The machine's resting states (closed is final) and the contexts each can have. */
const RESTING: readonly [string, Omit<SessionContext, 'ports' | 'sessionId' | 'inFlight'>][] = [
  ['anonymous', { clientId: 0, closeReason: null }],
  ['identified', { clientId: 3, closeReason: null }],
  ['identified', { clientId: 0, closeReason: null }],
  ['closing', { clientId: 3, closeReason: 'probe' }],
];

/** Handles the probes may touch: none of them may run (pure `transition` plans actions, it runs none). */
const NO_PORTS: SessionPorts = {
  serve: () => {},
  send: () => {},
  stopIntake: () => {},
  revokeLease: () => {},
  closeTransport: () => {},
  announceClosed: () => {},
  toJSON: () => 'lane probe',
};

const sameContext = (a: SessionContext, b: SessionContext) => (Object.keys(a) as (keyof SessionContext)[]).every((k) => a[k] === b[k]);
const types = (actions: readonly { type: string }[]) => actions.map((a) => a.type).join(',');

/**
 * Asks the machine itself, for every resting state (and context it can have there,
 * with 0, 1 or 2 requests already in flight) and every way a request can end, what
 * it would do with that request and its outcome: the direct lane may skip the
 * machine for the round trip only where the answer is exactly `serve`, then exactly
 * `sendAnswer`, with state and context back where they started. Computed from the
 * definition with xstate's pure `transition` (no action runs), so the fast path
 * cannot disagree with the machine.
 */
export function deriveSessionLane(): ReadonlySet<SessionLaneKey> {
  const byKey = new Map<SessionLaneKey, boolean>();
  for (const [state, rest] of RESTING) {
    for (const outcome of Object.keys(PROBE_EVENTS) as RequestOutcome[]) {
      for (const inFlight of [0, 1, 2]) {
        const context: SessionContext = { sessionId: 'lane-probe', inFlight, ports: NO_PORTS, ...rest };
        const start = sessionMachine.resolveState({ value: state, context });
        const [mid, first] = transition(sessionMachine, start, { type: 'request', packet: PROBE });
        const [end, second] = transition(sessionMachine, mid, PROBE_EVENTS[outcome]);
        const pure = mid.value === state && end.value === state && sameContext(end.context, start.context) && types(first) === 'serve' && types(second) === 'sendAnswer';
        const key = laneKey(state, outcome);
        byKey.set(key, (byKey.get(key) ?? true) && pure);
      }
    }
  }
  return new Set([...byKey].filter(([, pure]) => pure).map(([key]) => key));
}

/**
 * May a request arriving in `state` start outside the machine? Only where its plain
 * round trip is direct: the outcome is known only at the end, and any other outcome
 * then goes through the machine (Session adopts the request first).
 */
export function takesDirectRequests(lane: ReadonlySet<SessionLaneKey>, state: string): boolean {
  return lane.has(laneKey(state, 'plain'));
}

import { assign, setup } from 'xstate';

/**
 * A session's non-JSON parts behind one handle in context, as the owner machine
 * keeps its `store`: what the actions act on. Session (session.ts) implements it.
 */
export interface SessionPorts {
  /** Hands a request to the handler pipeline: handled after those before it, one at a time. */
  serve(packet: Uint8Array): void;
  /** Hands an answer to the transport (which is also its go-ahead for the next request). */
  send(response: Uint8Array): void;
  /** Takes no more requests from the transport; those queued behind the one being handled are dropped. */
  stopIntake(): void;
  /** Revokes the session's lease at the owner and drops what it queued there. */
  revokeLease(): void;
  closeTransport(reason: string): void;
  /** Settles Session.closed. */
  announceClosed(reason: string): void;
  /** What an inspector shows for the handle. */
  toJSON(): string;
}

/** One client connection, as the visualizer and an inspector show it. */
export interface SessionContext {
  readonly sessionId: string;
  /** 0 until COMM INIT (wolfHSM serves a client that has not said who it is as client 0). */
  readonly clientId: number;
  /**
   * Requests accepted and not yet answered, failed or dropped: the one being handled
   * and any queued behind it (only a transport that ignores lockstep queues them).
   */
  readonly inFlight: number;
  /** Why the session ends; null while it is open. */
  readonly closeReason: string | null;
  readonly ports: SessionPorts;
}

export interface SessionInput {
  readonly sessionId: string;
  readonly ports: SessionPorts;
}

export type SessionEvent =
  /** One whole packet from the transport. */
  | { readonly type: 'request'; readonly packet: Uint8Array }
  /**
   * The pipeline answered the oldest request in flight. `clientId`: the id its
   * handler set (a successful COMM INIT, 0 included), else null. `closeRequested`:
   * it was COMM CLOSE.
   */
  | { readonly type: 'request.answered'; readonly response: Uint8Array; readonly clientId: number | null; readonly closeRequested: boolean }
  /** The oldest request in flight ends the connection instead (a bad frame, an internal error). */
  | { readonly type: 'request.failed'; readonly reason: string }
  /** The oldest request in flight was queued when the session began closing: never handled. */
  | { readonly type: 'request.dropped' }
  /** The transport ended (peer gone, transport error) or the server ends the session. */
  | { readonly type: 'end'; readonly reason: string };

const reasonOf = (event: SessionEvent): string | null =>
  event.type === 'end' || event.type === 'request.failed' ? event.reason : event.type === 'request.answered' && event.closeRequested ? 'COMM CLOSE' : null;

const base = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
  },
  actions: {
    accept: assign({ inFlight: ({ context }) => context.inFlight + 1 }),
    serve: ({ context, event }) => {
      if (event.type === 'request') context.ports.serve(event.packet);
    },
    settle: assign({ inFlight: ({ context }) => context.inFlight - 1 }),
    sendAnswer: ({ context, event }) => {
      if (event.type === 'request.answered') context.ports.send(event.response);
    },
    rememberIdentity: assign({ clientId: ({ context, event }) => (event.type === 'request.answered' && event.clientId !== null ? event.clientId : context.clientId) }),
    rememberReason: assign({ closeReason: ({ context, event }) => context.closeReason ?? reasonOf(event) }),
    stopIntake: ({ context }) => context.ports.stopIntake(),
    revokeLease: ({ context }) => context.ports.revokeLease(),
    closeTransport: ({ context }) => context.ports.closeTransport(context.closeReason ?? 'closed'),
    announceClosed: ({ context }) => context.ports.announceClosed(context.closeReason ?? 'closed'),
  },
  guards: {
    closeRequested: ({ event }) => event.type === 'request.answered' && event.closeRequested,
    identitySet: ({ event }) => event.type === 'request.answered' && event.clientId !== null,
    nothingInFlight: ({ context }) => context.inFlight === 0,
  },
});

/** What both open phases do with a request, a failure and the end (the answer differs in where INIT leads). */
const open = {
  request: { actions: ['accept', 'serve'] },
  'request.failed': { target: 'closing', actions: ['settle', 'rememberReason'] },
  end: { target: 'closing', actions: 'rememberReason' },
} as const;

/**
 * One per connected client. It takes packets from its transport and hands them,
 * one at a time and in order, to its handler pipeline (which talks to the owner),
 * sends each answer back, and follows the connection's life:
 *
 * - anonymous: no COMM INIT yet, served as client 0 (as wolfHSM);
 * - identified: a COMM INIT succeeded (client id 0 too, when global keys are off);
 * - closing: COMM CLOSE answered, or the transport or the server ended it. No more
 *   requests; the lease is revoked and the transport closed at once; the request
 *   being handled finishes, its answer dropped;
 * - closed: nothing left in flight; Session.closed resolves with the reason.
 *
 * Session.receive hands a request straight to the pipeline, and its answer straight
 * to the transport, where this machine's round trip would be exactly `serve` then
 * `sendAnswer` with state and context back where they were (session-lane.ts derives
 * that table from this definition).
 */
export const sessionMachine = base.createMachine({
  id: 'clientSession',
  context: ({ input }) => ({ sessionId: input.sessionId, clientId: 0, inFlight: 0, closeReason: null, ports: input.ports }),
  initial: 'anonymous',
  states: {
    anonymous: {
      description: 'Connected, no COMM INIT yet: requests are served as client 0.',
      on: {
        ...open,
        'request.answered': [
          { guard: 'closeRequested', target: 'closing', actions: ['settle', 'sendAnswer', 'rememberReason'] },
          { guard: 'identitySet', target: 'identified', actions: ['settle', 'sendAnswer', 'rememberIdentity'] },
          { actions: ['settle', 'sendAnswer'] },
        ],
      },
    },
    identified: {
      description: 'COMM INIT done: key and counter ids are scoped to this client id (a later INIT changes it).',
      on: {
        ...open,
        'request.answered': [
          { guard: 'closeRequested', target: 'closing', actions: ['settle', 'sendAnswer', 'rememberReason'] },
          { guard: 'identitySet', actions: ['settle', 'sendAnswer', 'rememberIdentity'] },
          { actions: ['settle', 'sendAnswer'] },
        ],
      },
    },
    closing: {
      description: 'Ending: no more requests, lease revoked, transport closed; the request being handled finishes and its answer is dropped.',
      entry: ['stopIntake', 'revokeLease', 'closeTransport'],
      always: { guard: 'nothingInFlight', target: 'closed' },
      on: {
        request: { description: 'Not served: the session is ending.' },
        'request.answered': { actions: 'settle', description: 'The answer is dropped.' },
        'request.failed': { actions: 'settle' },
        'request.dropped': { actions: 'settle' },
      },
    },
    closed: {
      description: 'Nothing left in flight: the session is over.',
      type: 'final',
      entry: 'announceClosed',
    },
  },
});

export type SessionMachine = typeof sessionMachine;

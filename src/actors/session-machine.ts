import { assign, setup } from 'xstate';

/** JSON-only view of one client connection. */
export interface SessionContext {
  readonly sessionId: string;
  /** 0 until COMM INIT. */
  readonly clientId: number;
}

export type SessionEvent =
  /** One whole packet from the transport. */
  | { readonly type: 'request'; readonly packet: Uint8Array }
  /** The handler pipeline reports a change to the session's identity or lifetime. */
  | { readonly type: 'session.changed'; readonly clientId: number; readonly closing: boolean }
  /** The peer went away, or sent something that ends the connection. */
  | { readonly type: 'transport.closed'; readonly reason: string };

/**
 * One per connected client. It takes packets from its transport and hands them
 * to its handler pipeline (which talks to the owner), and it follows the
 * connection's life: anonymous (served as client 0, as wolfHSM does before COMM
 * INIT), identified (after COMM INIT), closed (COMM CLOSE, disconnect or bad
 * framing; its lease, if any, is revoked on the way out).
 *
 * Action bodies are placeholders for the visualizer export; sessions bind them.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { sessionId: string },
  },
  actions: {
    handleRequest: () => {},
    releaseOwnerState: () => {},
    closeTransport: () => {},
    rememberIdentity: assign(({ context, event }) => (event.type === 'session.changed' ? { ...context, clientId: event.clientId } : context)),
  },
  guards: {
    closing: ({ event }) => event.type === 'session.changed' && event.closing,
    identified: ({ event }) => event.type === 'session.changed' && event.clientId !== 0,
  },
}).createMachine({
  id: 'clientSession',
  context: ({ input }) => ({ sessionId: input.sessionId, clientId: 0 }),
  initial: 'anonymous',
  states: {
    anonymous: {
      description: 'Connected, no COMM INIT yet: requests are served as client 0.',
      on: {
        request: { actions: 'handleRequest' },
        'session.changed': [
          { guard: 'closing', target: 'closed', actions: 'rememberIdentity' },
          { guard: 'identified', target: 'identified', actions: 'rememberIdentity' },
        ],
        'transport.closed': { target: 'closed' },
      },
    },
    identified: {
      description: 'COMM INIT done: key and counter ids are scoped to this client id.',
      on: {
        request: { actions: 'handleRequest' },
        'session.changed': [{ guard: 'closing', target: 'closed', actions: 'rememberIdentity' }, { actions: 'rememberIdentity' }],
        'transport.closed': { target: 'closed' },
      },
    },
    closed: {
      type: 'final',
      entry: ['releaseOwnerState', 'closeTransport'],
    },
  },
});

export type SessionMachine = typeof sessionMachine;

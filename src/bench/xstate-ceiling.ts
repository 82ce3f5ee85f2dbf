import { createActor, setup } from 'xstate';

/**
 * The most a machine-run lease can do on this machine: a two-state xstate machine
 * (free, held) whose acquire and release events are answered through a promise, as
 * the owner answers its lease calls, with nothing else (no lease bookkeeping, no
 * waiting list, no deadline). Printed beside the real lease as its ceiling.
 */
export function xstateToggleLease(): { acquire(): Promise<number>; release(): Promise<number>; stop(): void } {
  type Ev = { type: 'acquire' | 'release'; settle: (rc: number) => void };
  const machine = setup({
    types: { events: {} as Ev },
    actions: { answer: ({ event }) => event.settle(0) },
  }).createMachine({
    initial: 'free',
    states: {
      free: { on: { acquire: { target: 'held', actions: 'answer' } } },
      held: { on: { release: { target: 'free', actions: 'answer' } } },
    },
  });
  const actor = createActor(machine).start();
  const send = (type: Ev['type']) => new Promise<number>((settle) => actor.send({ type, settle }));
  return { acquire: () => send('acquire'), release: () => send('release'), stop: () => actor.stop() };
}

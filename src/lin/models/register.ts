import { hashNumber } from '../hash.js';
import { ILLEGAL, type Model } from '../types.js';

/** A compare-and-set register (Jepsen's etcd test). null = no value yet. */
export type RegisterInput = { readonly op: 'read' } | { readonly op: 'write'; readonly value: number } | { readonly op: 'cas'; readonly from: number; readonly to: number };
/** read: the value seen (null = absent); cas: whether it swapped; unknown: a timed-out call. */
export interface RegisterOutput {
  readonly value?: number | null;
  readonly ok?: boolean;
  readonly unknown?: boolean;
}

const NIL = null;

export const casRegisterModel: Model<number | null, RegisterInput, RegisterOutput> = {
  name: 'cas-register',
  init: () => NIL,
  step(state, input, output) {
    const unknown = output === undefined || output.unknown === true;
    switch (input.op) {
      case 'read':
        return unknown || output.value === state ? state : ILLEGAL;
      case 'write':
        return input.value;
      case 'cas': {
        const swaps = state === input.from;
        if (!unknown && output.ok !== swaps) return ILLEGAL;
        return swaps ? input.to : state;
      }
    }
  },
  // A read, and a CAS that answered fail, leave the register as it is whenever they are legal.
  readOnly: (input, output) => input.op === 'read' || (input.op === 'cas' && output !== undefined && output.unknown !== true && output.ok === false),
  hash: (s) => (s === null ? 0x7fffffff : hashNumber(s)),
  equal: (a, b) => a === b,
  describeOperation(input, output) {
    const res = output === undefined || output.unknown ? 'unknown' : undefined;
    switch (input.op) {
      case 'read':
        return `read() -> ${res ?? (output!.value === null ? 'nil' : String(output!.value))}`;
      case 'write':
        return `write(${input.value})`;
      case 'cas':
        return `cas(${input.from}, ${input.to}) -> ${res ?? (output!.ok ? 'ok' : 'fail')}`;
    }
  },
  describeState: (s) => (s === null ? 'nil' : String(s)),
  explainIllegal(state, input, output) {
    const holds = `the register holds ${state === null ? 'nil' : state}`;
    if (input.op === 'read') return `read returned ${output?.value === null ? 'nil' : String(output?.value)}, ${holds}`;
    if (input.op === 'cas') return `cas(${input.from}, ${input.to}) answered ${output?.ok ? 'ok' : 'fail'}, but ${holds}, so it must ${state === input.from ? 'succeed' : 'fail'}`;
    return `write(${input.value}) cannot fail`;
  },
};

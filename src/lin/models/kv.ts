import { hashStringTail } from '../hash.js';
import { ILLEGAL, type Model, type Operation } from '../types.js';

/** A key-value store with get/put/append (porcupine's kv test), one string per key. */
export interface KvInput {
  readonly op: 'get' | 'put' | 'append';
  readonly key: string;
  readonly value?: string;
}
export interface KvOutput {
  readonly value?: string;
}

export const kvModel: Model<string, KvInput, KvOutput> = {
  name: 'kv',
  init: () => '',
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return output === undefined || output.value === state ? state : ILLEGAL;
      case 'put':
        return input.value ?? '';
      case 'append':
        return state + (input.value ?? '');
    }
  },
  // Values only grow by appends: length and tail tell them apart; equality settles the rest.
  hash: (s) => hashStringTail(s),
  equal: (a, b) => a === b,
  // Keys are independent objects: check each key's sub-history on its own.
  partition(ops) {
    const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const o of ops) {
      const list = byKey.get(o.input.key);
      if (list) list.push(o);
      else byKey.set(o.input.key, [o]);
    }
    return [...byKey.values()];
  },
  describeOperation(input, output) {
    if (input.op === 'get') return `get('${input.key}') -> '${output?.value ?? '?'}'`;
    return `${input.op}('${input.key}', '${input.value ?? ''}')`;
  },
  describeState: (s) => `'${s}'`,
};

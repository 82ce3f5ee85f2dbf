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

/**
 * A key's value with a polynomial hash kept alongside: the hash of `s + v` folds
 * v's characters into the hash of `s`, so an append never reads the (long, rope)
 * string it extends.
 */
export interface KvState {
  readonly s: string;
  readonly h: number;
}

const fold = (h: number, v: string): number => {
  let x = h;
  for (let i = 0; i < v.length; i++) x = (Math.imul(x, 31) + v.charCodeAt(i)) | 0;
  return x;
};

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: 'kv',
  init: () => ({ s: '', h: 0 }),
  step(state, input, output) {
    const v = input.value ?? '';
    switch (input.op) {
      case 'get':
        return output === undefined || output.value === state.s ? state : ILLEGAL;
      case 'put':
        return { s: v, h: fold(0, v) };
      case 'append':
        return { s: state.s + v, h: fold(state.h, v) };
    }
  },
  readOnly: (input) => input.op === 'get',
  hash: (st) => st.h,
  equal: (a, b) => a.h === b.h && a.s === b.s,
  // Keys are independent objects: check each key's sub-history on its own.
  partitionKey: (o) => o.input.key,
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
  describeState: (st) => `'${st.s}'`,
  explainIllegal: (state, input, output) => `get('${input.key}') returned '${output?.value ?? ''}', the key holds '${state.s}'`,
};

import type { StructCodec } from '../struct.js';
import * as comm from './comm.js';
import * as counter from './counter.js';
import * as custom from './custom.js';
import * as key from './key.js';
import * as nvm from './nvm.js';

export * from './comm.js';
export * from './counter.js';
export * from './custom.js';
export * from './key.js';
export * from './nvm.js';

const isCodec = (v: unknown): v is StructCodec<unknown> => typeof v === 'object' && v !== null && 'encode' in v && 'decode' in v;

/** Every message codec, for round-trip tests and tooling. */
export const ALL_MESSAGES: readonly StructCodec<unknown>[] = [comm, nvm, key, counter, custom].flatMap((m) => Object.values(m).filter(isCodec));

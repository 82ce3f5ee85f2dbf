import { struct } from '../struct.js';

/** COUNTER group messages (spec-wire 11): all 8 bytes. */
export const CounterInitRequest = struct('COUNTER INIT request', 8, { value: [0, 'u32'], counterId: [4, 'u16'] });
export const CounterIdRequest = struct('COUNTER INCREMENT/READ/DESTROY request', 8, { counterId: [0, 'u16'] });
export const CounterValueResponse = struct('COUNTER response', 8, { rc: [0, 'i32'], value: [4, 'u32'] });

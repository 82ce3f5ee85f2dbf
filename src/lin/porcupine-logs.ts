import type { KvInput, KvOutput } from './models/kv.js';
import type { RegisterInput, RegisterOutput } from './models/register.js';
import type { Operation } from './types.js';

type Open<I> = { client: number; input: I; call: number };

/**
 * Jepsen etcd logs as porcupine reads them: invoke/ok/fail lines of read, write
 * and cas; a timed-out read returns "unknown"; an operation with no outcome
 * (`:info`) stays pending. Time is the line number.
 */
export function parseJepsenEtcdLog(text: string): Operation<RegisterInput, RegisterOutput>[] {
  const ops: Operation<RegisterInput, RegisterOutput>[] = [];
  const open = new Map<number, Open<RegisterInput>>();
  const close = (proc: number, t: number, output: RegisterOutput) => {
    const o = open.get(proc);
    if (!o) return;
    open.delete(proc);
    ops.push({ client: proc, input: o.input, call: o.call, ret: t, output });
  };
  text.split('\n').forEach((line, t) => {
    const m = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s+(.*)$/.exec(line.trim());
    if (!m) return;
    const proc = Number(m[1]);
    const [type, f, arg] = [m[2], m[3], m[4]!.trim()];
    const pair = /^\[(\d+)\s+(\d+)\]$/.exec(arg);
    if (type === 'invoke') {
      if (f === 'read' && arg === 'nil') open.set(proc, { client: proc, input: { op: 'read' }, call: t });
      else if (f === 'write' && /^\d+$/.test(arg)) open.set(proc, { client: proc, input: { op: 'write', value: Number(arg) }, call: t });
      else if (f === 'cas' && pair) open.set(proc, { client: proc, input: { op: 'cas', from: Number(pair[1]), to: Number(pair[2]) }, call: t });
    } else if (type === 'ok' && f === 'read' && (arg === 'nil' || /^\d+$/.test(arg))) close(proc, t, { value: arg === 'nil' ? null : Number(arg) });
    else if (type === 'ok' && f === 'write') close(proc, t, {});
    else if ((type === 'ok' || type === 'fail') && f === 'cas' && pair) close(proc, t, { ok: type === 'ok' });
    else if (type === 'fail' && f === 'read' && arg === ':timed-out') close(proc, t, { unknown: true });
  });
  for (const o of open.values()) ops.push({ client: o.client, input: o.input, call: o.call, ret: null });
  return ops;
}

/** porcupine's kv logs: `{:process P, :type :invoke|:ok, :f :get|:put|:append, :key "K", :value ...}`. */
export function parseKvLog(text: string): Operation<KvInput, KvOutput>[] {
  const ops: Operation<KvInput, KvOutput>[] = [];
  const open = new Map<number, Open<KvInput>>();
  text.split('\n').forEach((line, t) => {
    const m = /^\{:process (\d+), :type :(\w+), :f :(\w+), :key "(.*?)", :value (nil|"(.*)")\}$/.exec(line.trim());
    if (!m) return;
    const proc = Number(m[1]);
    const [type, f, key] = [m[2], m[3] as KvInput['op'], m[4]!];
    const value = m[5] === 'nil' ? undefined : m[6]!;
    if (type === 'invoke') open.set(proc, { client: proc, input: f === 'get' ? { op: f, key } : { op: f, key, value: value ?? '' }, call: t });
    else if (type === 'ok') {
      const o = open.get(proc);
      if (!o) return;
      open.delete(proc);
      ops.push({ client: proc, input: o.input, call: o.call, ret: t, output: f === 'get' ? { value: value ?? '' } : {} });
    }
  });
  for (const o of open.values()) ops.push({ client: o.client, input: o.input, call: o.call, ret: null });
  return ops;
}

import { WhError } from '../errors.js';
import { counterNvmId } from '../core/counter.js';
import { StructReader, StructWriter } from '../protocol/bytes.js';
import { CounterAction } from '../protocol/groups.js';
import { ECHO, reply, type GroupHandler, type HandlerReply } from './handler-types.js';

export const COUNTER_MESSAGE_SIZE = 8;
const KNOWN_ACTIONS: ReadonlySet<number> = new Set(Object.values(CounterAction));

/** COUNTER group (wh_server_counter.c): 8-byte requests and responses; counters are per client. */
export const handleCounter: GroupHandler = async (ctx, req) => {
  const le = req.header.littleEndian;
  const answer = (rc: number, value = 0): HandlerReply => reply(new StructWriter(8, le).i32(0, rc).u32(4, value).bytes);
  const answerValue = (res: { rc: number; value?: number }): HandlerReply => answer(res.rc, res.rc === 0 ? (res.value ?? 0) : 0);
  if (!KNOWN_ACTIONS.has(req.action)) return ECHO;
  if (req.payload.length < COUNTER_MESSAGE_SIZE) return answer(WhError.BADARGS);
  const r = new StructReader(req.payload, le);
  const lessee = ctx.session.sessionId;
  // INIT carries the id at offset 4 (after the value); the others at offset 0.
  const nvmId = counterNvmId(ctx.session.clientId, r.u16(req.action === CounterAction.INIT ? 4 : 0));
  switch (req.action) {
    case CounterAction.INIT:
      return answerValue(await ctx.owner.call(lessee, 'counter.init', { nvmId, value: r.u32(0) }));
    case CounterAction.INCREMENT:
      return answerValue(await ctx.owner.call(lessee, 'counter.increment', { nvmId }));
    case CounterAction.READ:
      return answerValue(await ctx.owner.call(lessee, 'counter.read', { nvmId }));
    default:
      return answer((await ctx.owner.call(lessee, 'counter.destroy', { nvmId })).rc);
  }
};

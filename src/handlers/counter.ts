import { WhError } from '../errors.js';
import { counterNvmId } from '../core/counter.js';
import { CounterAction } from '../protocol/groups.js';
import { CounterIdRequest, CounterInitRequest, CounterValueResponse } from '../protocol/messages/counter.js';
import { ECHO, reply, type GroupHandler, type HandlerReply } from './handler-types.js';

const KNOWN_ACTIONS: ReadonlySet<number> = new Set(Object.values(CounterAction));

/** COUNTER group (wh_server_counter.c): 8-byte requests and responses; counters are per client. */
export const handleCounter: GroupHandler = async (ctx, req) => {
  const le = req.header.littleEndian;
  const answer = (res: { rc: number; value?: number }): HandlerReply =>
    reply(CounterValueResponse.encode({ rc: res.rc, value: res.rc === 0 ? (res.value ?? 0) : 0 }, le));
  if (!KNOWN_ACTIONS.has(req.action)) return ECHO;
  const lessee = ctx.session.sessionId;
  if (req.action === CounterAction.INIT) {
    const r = CounterInitRequest.decode(req.payload, le);
    if (!r) return answer({ rc: WhError.BADARGS });
    return answer(await ctx.owner.call(lessee, 'counter.init', { nvmId: counterNvmId(ctx.session.clientId, r.counterId), value: r.value }));
  }
  const r = CounterIdRequest.decode(req.payload, le);
  if (!r) return answer({ rc: WhError.BADARGS });
  const nvmId = counterNvmId(ctx.session.clientId, r.counterId);
  switch (req.action) {
    case CounterAction.INCREMENT:
      return answer(await ctx.owner.call(lessee, 'counter.increment', { nvmId }));
    case CounterAction.READ:
      return answer(await ctx.owner.call(lessee, 'counter.read', { nvmId }));
    default:
      return answer({ rc: (await ctx.owner.call(lessee, 'counter.destroy', { nvmId })).rc });
  }
};

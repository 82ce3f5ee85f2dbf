import { WhError } from '../errors.js';
import { counterNvmId } from '../core/counter.js';
import { StructReader, StructWriter } from '../protocol/bytes.js';
import { CounterAction } from '../protocol/groups.js';
import { ECHO, reply, type GroupHandler, type HandlerReply } from './handler-types.js';

export const COUNTER_MESSAGE_SIZE = 8;

/** COUNTER group (wh_server_counter.c): 8-byte requests and responses; counters are per client. */
export const handleCounter: GroupHandler = async (ctx, req) => {
  const le = req.header.littleEndian;
  const answer = (rc: number, value = 0): HandlerReply => reply(new StructWriter(8, le).i32(0, rc).u32(4, value).bytes);
  const known = Object.values(CounterAction) as number[];
  if (!known.includes(req.action)) return ECHO;
  if (req.payload.length < COUNTER_MESSAGE_SIZE) return answer(WhError.BADARGS);
  const r = new StructReader(req.payload, le);
  const lessee = ctx.session.sessionId;
  switch (req.action) {
    case CounterAction.INIT: {
      const res = await ctx.owner.call(lessee, 'counter.init', { nvmId: counterNvmId(ctx.session.clientId, r.u16(4)), value: r.u32(0) });
      return answer(res.rc, res.rc === 0 ? res.value : 0);
    }
    case CounterAction.INCREMENT: {
      const res = await ctx.owner.call(lessee, 'counter.increment', { nvmId: counterNvmId(ctx.session.clientId, r.u16(0)) });
      return answer(res.rc, res.rc === 0 ? res.value : 0);
    }
    case CounterAction.READ: {
      const res = await ctx.owner.call(lessee, 'counter.read', { nvmId: counterNvmId(ctx.session.clientId, r.u16(0)) });
      return answer(res.rc, res.rc === 0 ? res.value : 0);
    }
    default: {
      const res = await ctx.owner.call(lessee, 'counter.destroy', { nvmId: counterNvmId(ctx.session.clientId, r.u16(0)) });
      return answer(res.rc);
    }
  }
};

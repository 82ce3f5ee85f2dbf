import { WhError } from '../errors.js';
import {
  CUSTOM_DATA_SIZE,
  CUSTOM_QUERY,
  CustomCbRequest,
  CustomCbResponse,
  CustomCbType,
  customBodyType,
  decodeCustomBody,
  writeCustomBody,
  type CustomCbBody,
} from '../protocol/messages/custom.js';
import { ECHO, reply, type GroupHandler, type HandlerContext } from './handler-types.js';

/** What a custom callback is given: its slot, the request's id and its decoded body. */
export interface CustomCallbackRequest {
  /** The slot (the kind's action byte). */
  readonly index: number;
  /** The request's id, echoed in the response. */
  readonly id: number;
  readonly body: CustomCbBody;
}

/** What a callback answers: `rc` (its return value in C) and optionally a typed response body (type 0, no data, if absent). */
export interface CustomCallbackResult {
  readonly rc: number;
  readonly body?: CustomCbBody;
}

/**
 * A server-side custom callback (wh_Server_RegisterCustomCb). It runs in the
 * client's session like any handler: shared state only through `ctx.owner`
 * (one owner message per call, or `withLease` around several). A throw is a
 * bug: the client gets ABORTED, as for any handler.
 */
export type CustomCallback = (request: CustomCallbackRequest, ctx: HandlerContext) => Promise<CustomCallbackResult> | CustomCallbackResult;

/** Callbacks by slot; slots at or above the configured `customCbCount` are never reached. */
export type CustomCallbackTable = Readonly<Partial<Record<number, CustomCallback>>>;

/** Refuses slots no request can name (the action byte is 0..255), or, given the configured count, ones it never reaches. */
export function checkCustomCallbackTable(table: CustomCallbackTable, count = 0x100): void {
  for (const key of Object.keys(table)) {
    const slot = Number(key);
    if (!Number.isInteger(slot) || slot < 0 || slot >= count) throw new RangeError(`custom callback slot ${key} is not in 0..${count - 1}`);
  }
}

/**
 * CUSTOM group (wh_server_customcb.c). A slot at or above the configured count
 * and a request not exactly 264 bytes are handler errors in C that leave the
 * response size unset, so the request comes back verbatim. Otherwise the answer
 * is 272 bytes: id echoed, the callback's type and body (type 0 when it gives
 * none), rc from the callback (0 for QUERY), err 0, or err NOHANDLER for an
 * empty slot.
 */
export function customHandler(table: CustomCallbackTable): GroupHandler {
  checkCustomCallbackTable(table);
  return async (ctx, req) => {
    const le = req.header.littleEndian;
    if (req.action >= ctx.config.customCbCount) return ECHO;
    const r = req.payload.length === CustomCbRequest.size ? CustomCbRequest.decode(req.payload, le) : null;
    if (!r) return ECHO;
    const body = decodeCustomBody(r.type, r.data, le);
    const callback = table[req.action];
    // A QUERY only asks whether the slot is filled: the callback is not run.
    const result: CustomCallbackResult = callback && r.type !== CustomCbType.QUERY ? await callback({ index: req.action, id: r.id, body }, ctx) : { rc: 0 };
    if (!Number.isInteger(result.rc) || result.rc < -0x80000000 || result.rc > 0x7fffffff) throw new RangeError(`custom callback ${req.action} returned rc ${result.rc}, not an i32`);
    const out = result.body ?? CUSTOM_QUERY;
    const type = customBodyType(out);
    // C writes the response over the request buffer and a body writes only its
    // own fields: the rest of the data area keeps the request's bytes 16..263
    // (the C server's last 8 bytes are stale buffer contents; ours are zero).
    const area = new Uint8Array(CUSTOM_DATA_SIZE);
    area.set(req.payload.subarray(16, CustomCbRequest.size));
    writeCustomBody(out, area, le);
    const err = callback ? WhError.OK : WhError.NOHANDLER;
    return reply(CustomCbResponse.encode({ id: r.id, type, rc: result.rc, err, data: area }, le));
  };
}

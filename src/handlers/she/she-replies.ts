import { WhError, type WhRc } from '../../errors.js';
import {
  SheCipherResponse,
  SheExportRamKeyResponse,
  SheGenMacResponse,
  SheGetStatusResponse,
  SheLoadKeyResponse,
  SheLoadPlainKeyResponse,
  SheRcResponse,
  SheRndResponse,
  SheStatusResponse,
  SheVerifyMacResponse,
} from '../../protocol/messages/she.js';

/**
 * SHE replies: always the action's normal size (2.3), in the client's byte order.
 * Fields an answer does not carry (a refusal, a failure) are zeros; VERIFY_MAC's
 * status is 1 ("not verified") unless the MAC matched.
 */

const z = (n: number) => new Uint8Array(n);

export const rcReply = (rc: WhRc, le: boolean) => SheRcResponse.encode({ rc }, le);
export const statusReply = (a: { rc: WhRc; status?: number }, le: boolean) => SheStatusResponse.encode({ rc: a.rc, status: a.status ?? 0 }, le);
export const getStatusReply = (a: { rc: WhRc; sreg?: number }, le: boolean) => SheGetStatusResponse.encode({ rc: a.rc, sreg: a.sreg ?? 0 }, le);
export const loadKeyReply = (a: { rc: WhRc; m4?: Uint8Array; m5?: Uint8Array }, le: boolean) =>
  SheLoadKeyResponse.encode({ rc: a.rc, m4: a.m4 ?? z(32), m5: a.m5 ?? z(16) }, le);
export const loadPlainKeyReply = (rc: WhRc, le: boolean) => SheLoadPlainKeyResponse.encode({ rc }, le);
export const exportRamKeyReply = (a: { rc: WhRc; m1?: Uint8Array; m2?: Uint8Array; m3?: Uint8Array; m4?: Uint8Array; m5?: Uint8Array }, le: boolean) =>
  SheExportRamKeyResponse.encode({ rc: a.rc, m1: a.m1 ?? z(16), m2: a.m2 ?? z(32), m3: a.m3 ?? z(16), m4: a.m4 ?? z(32), m5: a.m5 ?? z(16) }, le);
export const rndReply = (a: { rc: WhRc; rnd?: Uint8Array }, le: boolean) => SheRndResponse.encode({ rc: a.rc, rnd: a.rnd ?? z(16) }, le);
/** The processed length and output on success; `sz` 0 and no data otherwise. */
export const cipherReply = (rc: WhRc, output: Uint8Array | null, le: boolean) =>
  SheCipherResponse.encode({ rc, sz: rc === WhError.OK && output ? output.length : 0, data: rc === WhError.OK && output ? output : z(0) }, le);
export const genMacReply = (rc: WhRc, mac: Uint8Array | null, le: boolean) => SheGenMacResponse.encode({ rc, mac: mac ?? z(16) }, le);
export const verifyMacReply = (rc: WhRc, matched: boolean, le: boolean) => SheVerifyMacResponse.encode({ rc, status: rc === WhError.OK && matched ? 0 : 1 }, le);

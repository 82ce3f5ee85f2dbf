import type { WhRc } from '../errors.js';
import { makeMetadata } from '../nvm/metadata.js';
import type { StructCodec } from '../protocol/struct.js';
import { Group, kind } from '../protocol/groups.js';
import {
  SheBootUpdateRequest,
  SheCbcRequest,
  SheCipherResponse,
  SheEcbRequest,
  SheExportRamKeyResponse,
  SheExtendSeedRequest,
  SheGenMacRequest,
  SheGenMacResponse,
  SheGetStatusResponse,
  SheKeyRequest,
  SheLoadKeyRequest,
  SheLoadKeyResponse,
  SheLoadPlainKeyResponse,
  SheRcResponse,
  SheRndResponse,
  SheSetUidRequest,
  SheSizeRequest,
  SheStatusResponse,
  SheVerifyMacRequest,
  SheVerifyMacResponse,
} from '../protocol/messages/she.js';
import { SheAction } from '../she/she-constants.js';
import { sheLabel } from '../she/she-label.js';
import { sheKeyId } from '../she/she-keys.js';
import type { KeyUpdateMessages } from '../she/key-update.js';
import { ProtocolError, type HsmClient } from './hsm-client.js';

/** A SHE answer: its rc (0 or a SHE code, e.g. -2200 SEQUENCE_ERROR) and, on success, the data. */
export type SheResult<T = object> = ({ readonly rc: 0 } & T) | { readonly rc: WhRc };

/** rc and the `status` field of the secure-boot, INIT_RND and EXTEND_SEED replies. */
export interface SheStatus {
  readonly rc: WhRc;
  readonly status: number;
}

/** The SHE group calls of an HsmClient (`client.she`): AUTOSAR SHE key update, secure boot, PRNG, cipher and MAC. */
export class HsmSheClient {
  constructor(protected readonly client: HsmClient) {}

  private async exchange<R>(action: number, body: Uint8Array, res: StructCodec<R>): Promise<R> {
    const r = await this.client.request(kind(Group.SHE, action), body);
    const out = res.decode(r.bytes, r.littleEndian);
    if (!out) throw new ProtocolError(`${res.name}: ${r.length} bytes, expected ${res.size}`);
    return out;
  }

  /** SET_UID: the device's 15-byte UID, once per server lifetime. */
  async setUid(uid: Uint8Array): Promise<WhRc> {
    return (await this.exchange(SheAction.SET_UID, SheSetUidRequest.encode({ uid }, true), SheRcResponse)).rc as WhRc;
  }

  async secureBootInit(size: number): Promise<SheStatus> {
    return this.status(SheAction.SECURE_BOOT_INIT, SheSizeRequest.encode({ sz: size }, true));
  }

  async secureBootUpdate(chunk: Uint8Array): Promise<SheStatus> {
    return this.status(SheAction.SECURE_BOOT_UPDATE, SheBootUpdateRequest.encode({ sz: chunk.length, data: chunk }, true));
  }

  async secureBootFinish(): Promise<SheStatus> {
    return this.status(SheAction.SECURE_BOOT_FINISH, new Uint8Array(0));
  }

  /**
   * The whole secure boot (wh_Client_SheSecureBoot): INIT with the image size, the
   * image in chunks of at most `chunkSize` bytes, FINISH. Stops at the first failure
   * and answers its rc (NO_SECURE_BOOT -2204 when there is no BOOT_MAC_KEY).
   */
  async secureBoot(image: Uint8Array, chunkSize = 1024): Promise<WhRc> {
    const init = await this.secureBootInit(image.length);
    if (init.rc !== 0) return init.rc;
    for (let at = 0; at < image.length; at += chunkSize) {
      const u = await this.secureBootUpdate(image.subarray(at, at + chunkSize));
      if (u.rc !== 0) return u.rc;
    }
    return (await this.secureBootFinish()).rc;
  }

  /** GET_STATUS: the status register (SheSreg bits). */
  async getStatus(): Promise<SheResult<{ sreg: number }>> {
    const r = await this.exchange(SheAction.GET_STATUS, new Uint8Array(0), SheGetStatusResponse);
    return r.rc === 0 ? { rc: 0, sreg: r.sreg } : { rc: r.rc as WhRc };
  }

  /** LOAD_KEY: a key update (M1, M2, M3, e.g. from `makeKeyUpdate`); answers M4 and M5 to check against the expected ones. */
  async loadKey(m: Pick<KeyUpdateMessages, 'm1' | 'm2' | 'm3'>): Promise<SheResult<{ m4: Uint8Array; m5: Uint8Array }>> {
    const r = await this.exchange(SheAction.LOAD_KEY, SheLoadKeyRequest.encode({ m1: m.m1, m2: m.m2, m3: m.m3 }, true), SheLoadKeyResponse);
    return r.rc === 0 ? { rc: 0, m4: r.m4, m5: r.m5 } : { rc: r.rc as WhRc };
  }

  /** LOAD_PLAIN_KEY: 16 bytes as the RAM key. */
  async loadPlainKey(key: Uint8Array): Promise<WhRc> {
    return (await this.exchange(SheAction.LOAD_PLAIN_KEY, SheKeyRequest.encode({ key }, true), SheLoadPlainKeyResponse)).rc as WhRc;
  }

  /** EXPORT_RAM_KEY: the RAM key as M1..M5 (a LOAD_KEY of slot 14 under SECRET_KEY, counter 1). */
  async exportRamKey(): Promise<SheResult<KeyUpdateMessages>> {
    const r = await this.exchange(SheAction.EXPORT_RAM_KEY, new Uint8Array(0), SheExportRamKeyResponse);
    return r.rc === 0 ? { rc: 0, m1: r.m1, m2: r.m2, m3: r.m3, m4: r.m4, m5: r.m5 } : { rc: r.rc as WhRc };
  }

  async initRnd(): Promise<SheStatus> {
    return this.status(SheAction.INIT_RND, new Uint8Array(0));
  }

  /** RND: 16 bytes from the SHE PRNG (after INIT_RND). */
  async rnd(): Promise<SheResult<{ rnd: Uint8Array }>> {
    const r = await this.exchange(SheAction.RND, new Uint8Array(0), SheRndResponse);
    return r.rc === 0 ? { rc: 0, rnd: r.rnd } : { rc: r.rc as WhRc };
  }

  async extendSeed(entropy: Uint8Array): Promise<SheStatus> {
    return this.status(SheAction.EXTEND_SEED, SheExtendSeedRequest.encode({ entropy }, true));
  }

  /** AES-128-ECB with the key in `slot`, whole blocks (a trailing partial block is ignored). */
  encEcb(slot: number, data: Uint8Array): Promise<SheResult<{ data: Uint8Array }>> {
    return this.cipher(SheAction.ENC_ECB, SheEcbRequest.encode({ sz: data.length, keyId: slot, data }, true));
  }

  decEcb(slot: number, data: Uint8Array): Promise<SheResult<{ data: Uint8Array }>> {
    return this.cipher(SheAction.DEC_ECB, SheEcbRequest.encode({ sz: data.length, keyId: slot, data }, true));
  }

  /** AES-128-CBC with the key in `slot` and the given IV (no chaining value comes back). */
  encCbc(slot: number, iv: Uint8Array, data: Uint8Array): Promise<SheResult<{ data: Uint8Array }>> {
    return this.cipher(SheAction.ENC_CBC, SheCbcRequest.encode({ sz: data.length, keyId: slot, iv, data }, true));
  }

  decCbc(slot: number, iv: Uint8Array, data: Uint8Array): Promise<SheResult<{ data: Uint8Array }>> {
    return this.cipher(SheAction.DEC_CBC, SheCbcRequest.encode({ sz: data.length, keyId: slot, iv, data }, true));
  }

  /** GEN_MAC: AES-CMAC of `message` with the key in `slot`. */
  async generateMac(slot: number, message: Uint8Array): Promise<SheResult<{ mac: Uint8Array }>> {
    const r = await this.exchange(SheAction.GEN_MAC, SheGenMacRequest.encode({ keyId: slot, sz: message.length, data: message }, true), SheGenMacResponse);
    return r.rc === 0 ? { rc: 0, mac: r.mac } : { rc: r.rc as WhRc };
  }

  /** VERIFY_MAC: `verified` when the first min(mac.length, 16) bytes match the CMAC. */
  async verifyMac(slot: number, message: Uint8Array, mac: Uint8Array): Promise<SheResult<{ verified: boolean }>> {
    const body = new Uint8Array(message.length + mac.length);
    body.set(message);
    body.set(mac, message.length);
    const req = SheVerifyMacRequest.encode({ keyId: slot, messageLen: message.length, macLen: mac.length, data: body }, true);
    const r = await this.exchange(SheAction.VERIFY_MAC, req, SheVerifyMacResponse);
    return r.rc === 0 ? { rc: 0, verified: r.status === 0 } : { rc: r.rc as WhRc };
  }

  /**
   * Provisions a slot directly in NVM (wh_Client_ShePreProgramKey): id
   * 0x2000 | clientId<<8 | slot, access 0, NVM flags 0, label = counter ‖ SHE flags.
   * `clientId` is the id this connection gave COMM INIT.
   */
  async preProgramKey(p: { clientId: number; slot: number; key: Uint8Array; counter?: number; flags?: number }): Promise<WhRc> {
    const meta = makeMetadata({ id: sheKeyId(p.clientId, p.slot), access: 0, flags: 0, len: p.key.length, label: sheLabel(p.counter ?? 0, p.flags ?? 0) });
    return this.client.nvmAddObject(meta, p.key);
  }

  private async status(action: number, body: Uint8Array): Promise<SheStatus> {
    const r = await this.exchange(action, body, SheStatusResponse);
    return { rc: r.rc as WhRc, status: r.status };
  }

  private async cipher(action: number, body: Uint8Array): Promise<SheResult<{ data: Uint8Array }>> {
    const r = await this.exchange(action, body, SheCipherResponse);
    return r.rc === 0 ? { rc: 0, data: r.data.subarray(0, r.sz) } : { rc: r.rc as WhRc };
  }
}
